using Npgsql;
using Terminal.Gui.Input;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>Every confirmed purge leaves one row in tesladb.admin_journal, completed or cancelled, with its counts.</summary>
public sealed class JournalTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task A_completed_and_a_cancelled_purge_are_journaled_with_who_what_and_how_many()
    {
        var ct = TestContext.Current.CancellationToken;
        var done = await fixture.SeedAccountAsync("journal-done@example.com", vehicles: 1);
        var cut = await fixture.SeedAccountAsync("journal-cut@example.com", vehicles: 3);
        await using var session = fixture.Session();
        var yes = new AlwaysYes();

        var completed = await new PurgeWorkflow(session, yes).RunAsync(new PurgeScope.Vehicle(done.Vehicles[0]), new PurgeProgress(), ct);
        using var cancel = new CancellationTokenSource();
        var progress = new PurgeProgress();
        progress.BatchDone += deleted =>
        {
            if (deleted >= 4)
            {
                cancel.Cancel();
            }
        };
        var cancelled = await new PurgeWorkflow(session, yes, batchSize: 4).RunAsync(new PurgeScope.Account(cut.Account), progress, cancel.Token);
        Assert.Equal(PurgeEnd.Cancelled, cancelled.End);

        var entries = await session.Journal.BrowseAsync(null, 10, ct);
        var role = await CurrentUserAsync(ct);
        var first = Assert.Single(entries, e => e.Scope == done.Vehicles[0].Vin);
        Assert.Equal(("vehicle", 6L, 6L, "completed"), (first.ScopeKind, first.RowsCounted, first.RowsDeleted, first.Outcome));
        var second = Assert.Single(entries, e => e.Scope == cut.Account.Id.ToString());
        Assert.Equal(("account", 18L, 4L, "cancelled"), (second.ScopeKind, second.RowsCounted, second.RowsDeleted, second.Outcome));
        Assert.Equal(14, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: cut.Account.Id), ct));
        foreach (var entry in new[] { first, second })
        {
            Assert.Equal(role, entry.DatabaseRole);
            Assert.Equal(Environment.UserName, entry.OsUser);
            Assert.Equal(Environment.MachineName, entry.OsHost);
        }

        Assert.True(second.Id > first.Id);
        Assert.True(entries.ToList().IndexOf(second) < entries.ToList().IndexOf(first), "newest first");
        Assert.Equal(completed.Deleted, first.RowsDeleted);
    }

    [Fact]
    public async Task A_declined_purge_leaves_no_entry()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("journal-no@example.com", vehicles: 1);
        await using var session = fixture.Session();
        var outcome = await new PurgeWorkflow(session, new AlwaysNo()).RunAsync(new PurgeScope.Vehicle(seeded.Vehicles[0]), new PurgeProgress(), ct);
        Assert.Equal(PurgeEnd.Declined, outcome.End);
        Assert.DoesNotContain(await session.Journal.BrowseAsync(null, 1000, ct), e => e.Scope == seeded.Vehicles[0].Vin);
    }

    [Fact]
    public async Task The_journal_view_pages_newest_first_and_shows_a_purge_made_in_the_console()
    {
        var seeded = await fixture.SeedAccountAsync("journal-ui@example.com", vehicles: 1);
        await using var session = fixture.Session(pageSize: 10);
        // After a purge the list refreshes quietly; l pressed meanwhile waits its turn and then opens the journal.
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("journal-ui@"), Key.Enter]),
            When("filter 'journal-ui@'", s => s.Contains("filter 'journal-ui@'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal), new Key('d')),
            When("Delete 6 cached responses", new Key('p')),
            When("Deleted 6 cached responses", Key.Enter),
            When("the dialog closed", s => !s.Contains("┥Purged┝", StringComparison.Ordinal), new Key('l')),
            When("Journal of purges   (", new Key('q')),
        ], width: 200);

        var journal = outcome.Screens.Last(s => s.Contains("Journal of purges   (", StringComparison.Ordinal));
        Assert.Contains($"account {seeded.Account.Id}", journal, StringComparison.Ordinal);
        Assert.Contains("completed", journal, StringComparison.Ordinal);
        Assert.Contains($"{Environment.UserName}@{Environment.MachineName}", journal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purge_cancelled_with_esc_in_the_console_is_journaled_as_cancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("journal-esc@example.com", vehicles: 2);
        // Another session holds the account's rows: the purge's first batch waits on the lock until Esc cancels it.
        await using var holder = new NpgsqlConnection(fixture.Database.ConnectionString);
        await holder.OpenAsync(ct);
        await using var hold = await holder.BeginTransactionAsync(ct);
        await using (var lockRows = new NpgsqlCommand("SELECT id FROM public.vehicle_data_cache WHERE tesla_account_id = @a FOR UPDATE", holder, hold))
        {
            lockRows.Parameters.AddWithValue("a", seeded.Account.Id);
            var locked = 0;
            await using var reader = await lockRows.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                locked++;
            }

            Assert.Equal(12, locked);
        }

        await using var session = fixture.Session(pageSize: 10);
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("journal-esc@"), Key.Enter]),
            When("filter 'journal-esc@'", s => s.Contains("filter 'journal-esc@'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal), new Key('d')),
            When("Delete 12 cached responses", new Key('p')),
            When("Esc cancels", Key.Esc),
            When("Purge cancelled after 0 cached responses of 12", Key.Enter),
            When("the dialog closed", s => !s.Contains("┥Purge cancelled┝", StringComparison.Ordinal), new Key('l')),
            When("Journal of purges   (", new Key('q')),
        ], width: 200);
        await hold.RollbackAsync(ct);

        var journal = outcome.Screens.Last(s => s.Contains("Journal of purges   (", StringComparison.Ordinal));
        var line = journal.Split('\n').Single(l => l.Contains($"account {seeded.Account.Id}", StringComparison.Ordinal));
        Assert.Contains("cancelled", line, StringComparison.Ordinal);
        var entry = Assert.Single(await session.Journal.BrowseAsync(null, 1000, ct), e => e.Scope == seeded.Account.Id.ToString());
        Assert.Equal(("cancelled", 12L, 0L), (entry.Outcome, entry.RowsCounted, entry.RowsDeleted));
        Assert.Equal(12, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), ct));
    }

    private async Task<string> CurrentUserAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private sealed class AlwaysYes : IPurgeConfirmation
    {
        public Task<bool> ConfirmAsync(PurgePlan plan, bool typeCount, CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class AlwaysNo : IPurgeConfirmation
    {
        public Task<bool> ConfirmAsync(PurgePlan plan, bool typeCount, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
