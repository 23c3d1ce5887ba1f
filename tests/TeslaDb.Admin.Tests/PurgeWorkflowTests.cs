using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>The purge workflow end to end: count, ask, delete in batches, stop when cancelled keeping what is done.</summary>
public sealed class PurgeWorkflowTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task A_declined_purge_deletes_nothing_and_the_question_carries_the_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("workflow-no@example.com", vehicles: 2);
        await using var session = fixture.Session();
        var answers = new Answers(false);
        var outcome = await new PurgeWorkflow(session, answers).RunAsync(new PurgeScope.Account(seeded.Account), new PurgeProgress(), ct);

        Assert.Equal(PurgeEnd.Declined, outcome.End);
        Assert.Equal(12, Assert.Single(answers.Asked).Count);
        Assert.Equal(12, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), ct));
    }

    [Fact]
    public async Task A_confirmed_purge_deletes_in_batches_and_reports_each_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("workflow-yes@example.com", vehicles: 3);
        await using var session = fixture.Session();
        var progress = new PurgeProgress();
        var batches = new List<long>();
        progress.BatchDone += batches.Add;
        var outcome = await new PurgeWorkflow(session, new Answers(true), batchSize: 5).RunAsync(new PurgeScope.Account(seeded.Account), progress, ct);

        Assert.Equal(PurgeEnd.Completed, outcome.End);
        Assert.Equal(18, outcome.Deleted);
        Assert.Equal([5L, 10, 15, 18], batches);
        Assert.StartsWith("Deleted 18 cached responses", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), ct));
    }

    [Fact]
    public async Task A_purge_cancelled_after_two_batches_keeps_them_deleted_and_says_how_many_went()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("workflow-cancel@example.com", vehicles: 3);
        await using var session = fixture.Session();
        using var cancel = new CancellationTokenSource();
        var progress = new PurgeProgress();
        progress.BatchDone += deleted =>
        {
            if (deleted >= 10)
            {
                cancel.Cancel(); // the third batch never starts
            }
        };
        var outcome = await new PurgeWorkflow(session, new Answers(true), batchSize: 5).RunAsync(new PurgeScope.Account(seeded.Account), progress, cancel.Token);

        Assert.Equal(PurgeEnd.Cancelled, outcome.End);
        Assert.Equal(10, outcome.Deleted);
        Assert.Contains("cancelled after 10 cached responses of 18", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(8, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), ct));
        Assert.False(progress.Deleting);
    }

    [Fact]
    public async Task Nothing_to_delete_asks_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = fixture.Session();
        var answers = new Answers(true);
        var outcome = await new PurgeWorkflow(session, answers).RunAsync(new PurgeScope.Endpoint("no_such_endpoint"), new PurgeProgress(), ct);
        Assert.Equal(PurgeEnd.NothingToDelete, outcome.End);
        Assert.Empty(answers.Asked);
        Assert.StartsWith("Nothing to delete", outcome.Message, StringComparison.Ordinal);
    }

    /// <summary>The operator, answering every question the same way and remembering what was asked.</summary>
    private sealed class Answers(bool yes) : IPurgeConfirmation
    {
        public List<PurgePlan> Asked { get; } = [];

        public Task<bool> ConfirmAsync(PurgePlan plan, bool typeCount, CancellationToken cancellationToken)
        {
            Asked.Add(plan);
            return Task.FromResult(yes);
        }
    }
}
