using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>"Purge expired everywhere" goes through cleanup_expired_cache() and reports what it deleted.
/// Its own class (own database): it touches every account's rows.</summary>
public sealed class ExpiredCleanupTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Expired_purge_counts_then_deletes_only_expired_rows_and_keeps_tokens()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.SeedAccountAsync("exp-1@example.com", vehicles: 2, expiredPerVehicle: 2);
        await fixture.SeedAccountAsync("exp-2@example.com", vehicles: 3, expiredPerVehicle: 1);
        await using var session = fixture.Session();
        var plan = await new CachePurges(session).ExpiredEverywhereAsync(ct);
        Assert.Equal(7, plan.Count);
        Assert.Contains("Delete 7 cached responses", plan.Question, StringComparison.Ordinal);
        Assert.False(plan.ReportsProgress);
        Assert.Equal(7, await plan.ExecuteAsync(null, ct));
        Assert.Equal(0, await fixture.Cache.CountAsync(new CacheFilter(ExpiredOnly: true), ct));
        Assert.Equal(5 * 6 - 7, await fixture.Cache.CountAsync(CacheFilter.All, ct));
        Assert.Equal(2, (await fixture.Tokens.ListExpiringAsync(TimeSpan.FromDays(1), ct)).Count);
        Assert.Matches(@"^Deleted 7 cached responses \(every expired", plan.Done(7, TimeSpan.FromSeconds(1)));
    }
}
