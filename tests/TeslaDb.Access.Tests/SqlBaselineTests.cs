using System.Text;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Access.Tests;

/// <summary>
/// The SQL of every repository method, kept in Baselines/&lt;Operation&gt;.sql (as linq2db keeps its baselines): a
/// changed query shows up in review as a diff of these files. After an intended change, run with
/// TESLADB_UPDATE_BASELINES=1 and review the diff.
/// </summary>
public sealed class SqlBaselineTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task Every_repository_method_runs_the_sql_of_its_baseline()
    {
        var ct = TestContext.Current.CancellationToken;
        var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        fixture.Access.CommandObserver = (operation, sql) =>
        {
            lock (seen)
            {
                var texts = seen.TryGetValue(operation, out var list) ? list : seen[operation] = [];
                if (!texts.Contains(sql))
                {
                    texts.Add(sql);
                }
            }
        };
        try
        {
            await ExerciseEveryMethodAsync(ct);
        }
        finally
        {
            fixture.Access.CommandObserver = null;
        }

        var directory = Path.Combine(RepositoryFiles.Root, "tests", "TeslaDb.Access.Tests", "Baselines");
        var updating = RepositoryFiles.Updating;
        var mismatches = new List<string>();
        foreach (var (operation, texts) in seen.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, operation + ".sql");
            var actual = string.Join("\n\n", texts.Select(t => t.Trim().ReplaceLineEndings("\n") + ";")) + "\n";
            if (updating)
            {
                await File.WriteAllTextAsync(path, actual, ct);
            }
            else if (!File.Exists(path) || await File.ReadAllTextAsync(path, ct) != actual)
            {
                mismatches.Add($"{operation}: SQL differs from {path}:\n{actual}");
            }
        }

        var stale = Directory.GetFiles(directory, "*.sql").Select(Path.GetFileNameWithoutExtension).Where(n => !seen.ContainsKey(n!)).ToList();
        Assert.True(mismatches.Count == 0, "Run TESLADB_UPDATE_BASELINES=1 scripts/test.sh and review the diff.\n" + string.Join("\n", mismatches));
        Assert.True(stale.Count == 0, $"Baselines of operations no longer run: {string.Join(", ", stale)}");
        Assert.True(seen.Count >= 30, $"only {seen.Count} operations exercised");
    }

    private async Task ExerciseEveryMethodAsync(CancellationToken ct)
    {
        var user = Guid.NewGuid();
        var account = await fixture.Accounts.CreateAsync(user, "Baseline", "b@example.com", ct);
        await fixture.Accounts.ListAsync(user, false, ct);
        await fixture.Accounts.ListAsync(user, true, ct);
        await fixture.Accounts.GetAsync(account.Id, ct);
        await fixture.Accounts.RenameAsync(account.Id, "Renamed", ct);
        await fixture.Accounts.DeactivateAsync(account.Id, ct);
        await fixture.Accounts.ReactivateAsync(account.Id, ct);
        var accounts = await fixture.Accounts.BrowseAsync(null, null, 1, ct);
        await fixture.Accounts.BrowseAsync(user.ToString(), accounts.Items[0].Cursor, 10, ct);
        await fixture.Accounts.BrowseAsync("b@example", null, 10, ct);

        await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("a", "r"), TimeSpan.FromHours(8), ct);
        await fixture.Tokens.GetForAccountAsync(account.Id, ct);
        await fixture.Tokens.DescribeForAccountAsync(account.Id, ct);
        await fixture.Tokens.ListExpiringAsync(TimeSpan.FromHours(1), ct);
        // A skew longer than the token's life forces the locked refresh path; then Tesla says login_required.
        await fixture.Tokens.GetValidAccessTokenAsync(account.Id, (_, _) => Task.FromResult(TeslaSamples.Token("a2", "r2")), TimeSpan.FromDays(1), cancellationToken: ct);
        await fixture.Tokens.RefreshExpiringAsync(TimeSpan.FromDays(2), (_, _) => throw new Tokens.TeslaLoginRequiredException(), cancellationToken: ct);
        await fixture.Tokens.DeleteAsync("user_token:none", ct);
        await fixture.Tokens.DeleteForAccountAsync(account.Id, ct);

        var ids = await fixture.Vehicles.UpsertAsync(account.Id, [TeslaSamples.Vehicle(TeslaSamples.TeslaId(0), TeslaSamples.Vin(0))], ct);
        var vehicle = ids.Values.Single();
        await fixture.Vehicles.ListAsync(account.Id, ct);
        await fixture.Vehicles.ListSyncedWithinAsync(account.Id, TimeSpan.FromMinutes(5), ct);
        await fixture.Vehicles.FindByVinAsync(TeslaSamples.Vin(0), ct);
        await fixture.Vehicles.FindByTeslaIdAsync(account.Id, TeslaSamples.TeslaId(0), ct);
        await fixture.Vehicles.ListByStateAsync(account.Id, "online", ct);
        await fixture.Vehicles.BrowseAsync(account.Id, null, null, 10, ct);
        await fixture.Vehicles.BrowseAsync(null, "5yj3", new VehicleCursor(TeslaSamples.Vin(0), vehicle), 10, ct);
        await fixture.Vehicles.FindByDataAsync(TeslaSamples.Parse("""{"state": "online"}"""), 10, ct);

        await fixture.Cache.StoreAsync(account.Id, vehicle, "charge_state", TeslaSamples.ChargeState(80), TimeSpan.FromMinutes(5), ct);
        await fixture.Cache.StoreManyAsync([new CacheWrite(account.Id, vehicle, "climate_state", TeslaSamples.Parse("{}"), null)], ct);
        await fixture.Cache.GetFreshAsync(vehicle, "charge_state", ct);
        await fixture.Cache.GetOrFetchAsync(account.Id, vehicle, "drive_state", TimeSpan.FromMinutes(1), _ => Task.FromResult(TeslaSamples.Parse("{}")), ct);
        await Assert.ThrowsAsync<TeslaRateLimitedException>(() => fixture.Cache.GetOrFetchAsync(
            new CacheRequest(account.Id, vehicle, "vehicle_state"), _ => throw new TeslaRateLimitedException(TimeSpan.FromSeconds(1)), ct));
        var page = await fixture.Cache.BrowseAsync(CacheFilter.All, null, 1, ct);
        await fixture.Cache.BrowseAsync(new CacheFilter(account.Id, vehicle, "charge_state", ExpiredOnly: true), page.NextAfter, 10, ct);
        await fixture.Cache.GetAsync(page.Items[0].Id, ct);
        await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: account.Id), ct);
        await fixture.Cache.StatisticsAsync(null, ct);
        await fixture.Cache.StatisticsAsync(account.Id, ct);
        await fixture.Cache.PurgeByIdsAsync([page.Items[0].Id], ct);
        await fixture.Cache.PurgeVehicleAsync(vehicle, ct);
        await fixture.Cache.PurgeInBatchesAsync(new CacheFilter(TeslaAccountId: account.Id, EndpointName: "charge_state"), null, 100, ct);
        await fixture.Cache.PurgeEndpointAsync("drive_state", ct);
        await fixture.Cache.PurgeAccountAsync(account.Id, ct);
        await fixture.Cache.CleanupExpiredAsync(ct);
        await fixture.Cache.CleanupExpiredAsync(TimeSpan.FromHours(1), ct);
        await fixture.Accounts.DeleteAsync(account.Id, ct);
    }
}
