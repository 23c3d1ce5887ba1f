using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Seed operations 5 and 6 and everything an operator does with the cache.</summary>
public sealed class CacheTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly TestDatabase _db = fixture.Database;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Store_then_fresh_read_and_a_second_store_replaces_in_place()
    {
        var (account, vehicles) = await fixture.SeedAsync();

        await fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(80), TimeSpan.FromMinutes(5), Ct);
        await fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(81), TimeSpan.FromMinutes(5), Ct);
        var fresh = await fixture.Cache.GetFreshAsync(vehicles[0], "charge_state", Ct);

        Assert.Equal(81, fresh!.Value.GetProperty("battery_level").GetInt32());
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])));
        Assert.InRange(await _db.ScalarAsync<double>("SELECT extract(epoch FROM expires_at - now())::float8 FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])), 290, 300);
    }

    [Fact]
    public async Task Expired_rows_are_not_fresh_and_a_null_expiry_never_expires()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(50), TimeSpan.FromMinutes(5), Ct);
        await fixture.Cache.StoreAsync(account, vehicles[0], "gui_settings", TeslaSamples.Parse("""{"gui_distance_units": "km/hr"}"""), null, Ct);
        await _db.ExecuteAsync("UPDATE vehicle_data_cache SET expires_at = now() - interval '1 second' WHERE vehicle_id = @v AND endpoint_name = 'charge_state'", ("v", vehicles[0]));

        Assert.Null(await fixture.Cache.GetFreshAsync(vehicles[0], "charge_state", Ct));
        Assert.NotNull(await fixture.Cache.GetFreshAsync(vehicles[0], "gui_settings", Ct));
        Assert.Null(await _db.ScalarAsync("SELECT expires_at FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = 'gui_settings'", ("v", vehicles[0])));
    }

    [Fact]
    public async Task Get_or_fetch_calls_the_fetcher_only_on_a_miss()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        var calls = 0;
        Task<System.Text.Json.JsonElement> Fetch(CancellationToken _)
        {
            calls++;
            return Task.FromResult(TeslaSamples.ChargeState(60 + calls));
        }

        var first = await fixture.Cache.GetOrFetchAsync(account, vehicles[0], "charge_state", TimeSpan.FromMinutes(5), Fetch, Ct);
        var second = await fixture.Cache.GetOrFetchAsync(account, vehicles[0], "charge_state", TimeSpan.FromMinutes(5), Fetch, Ct);

        Assert.Equal(1, calls);
        Assert.Equal(61, first.GetProperty("battery_level").GetInt32());
        Assert.Equal(61, second.GetProperty("battery_level").GetInt32());
    }

    [Fact]
    public async Task Store_many_is_one_statement_last_write_wins_within_the_batch()
    {
        var (account, vehicles) = await fixture.SeedAsync(3);
        var commands = new List<string>();
        fixture.Access.CommandObserver = (operation, _) => commands.Add(operation);

        await fixture.Cache.StoreManyAsync([
            .. vehicles.Select(v => new CacheWrite(account, v, "charge_state", TeslaSamples.ChargeState(10), TimeSpan.FromMinutes(5))),
            .. vehicles.Select(v => new CacheWrite(account, v, "climate_state", TeslaSamples.Parse("""{"inside_temp": 21.5}"""), null)),
            new CacheWrite(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(99), TimeSpan.FromMinutes(5)),
        ], Ct);
        fixture.Access.CommandObserver = null;

        Assert.Equal(["Cache.StoreMany"], commands);
        Assert.Equal(6L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @a", ("a", account)));
        Assert.Equal(99, (await fixture.Cache.GetFreshAsync(vehicles[0], "charge_state", Ct))!.Value.GetProperty("battery_level").GetInt32());
    }

    [Fact]
    public async Task Browsing_pages_through_every_row_once_in_a_stable_order()
    {
        var (account, vehicles) = await fixture.SeedAsync(5);
        string[] endpoints = ["charge_state", "climate_state", "drive_state", "vehicle_state", "gui_settings"];
        await fixture.Cache.StoreManyAsync(vehicles.SelectMany(v => endpoints.Select(e => new CacheWrite(account, v, e, TeslaSamples.ChargeState(1), TimeSpan.FromMinutes(5)))), Ct);

        var seen = new List<Guid>();
        Guid? after = null;
        var pages = 0;
        do
        {
            var page = await fixture.Cache.BrowseAsync(new CacheFilter(TeslaAccountId: account), after, pageSize: 7, Ct);
            seen.AddRange(page.Items.Select(i => i.Id));
            Assert.All(page.Items, i => Assert.True(i.IsFresh && i.SizeBytes > 0));
            after = page.NextAfter;
            pages++;
        }
        while (after is not null);

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(seen.Order().ToList(), seen);
        Assert.Equal(4, pages);
        Assert.Equal(25L, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: account), Ct));
    }

    [Fact]
    public async Task Statistics_count_entries_expired_rows_and_bytes_per_endpoint()
    {
        var (account, vehicles) = await fixture.SeedAsync(2);
        await fixture.Cache.StoreManyAsync(vehicles.Select(v => new CacheWrite(account, v, "charge_state", TeslaSamples.ChargeState(5), TimeSpan.FromMinutes(5))), Ct);
        await fixture.Cache.StoreAsync(account, vehicles[0], "drive_state", TeslaSamples.Parse("""{"speed": null, "power": 0}"""), TimeSpan.FromMinutes(5), Ct);
        await _db.ExecuteAsync("UPDATE vehicle_data_cache SET expires_at = now() - interval '1 minute' WHERE vehicle_id = @v AND endpoint_name = 'charge_state'", ("v", vehicles[1]));

        var stats = await fixture.Cache.StatisticsAsync(account, Ct);

        var charge = Assert.Single(stats, s => s.EndpointName == "charge_state");
        Assert.Equal((2L, 1L), (charge.Entries, charge.Expired));
        Assert.Equal(await _db.ScalarAsync<long>("SELECT sum(pg_column_size(response_data)) FROM vehicle_data_cache WHERE tesla_account_id = @a AND endpoint_name = 'charge_state'", ("a", account)), charge.Bytes);
        Assert.Equal(["charge_state", "drive_state"], stats.Select(s => s.EndpointName));
    }

    [Fact]
    public async Task Purges_delete_exactly_what_they_name_and_cleanup_only_expired_rows()
    {
        var (account, vehicles) = await fixture.SeedAsync(3);
        string[] endpoints = ["charge_state", "climate_state", "drive_state"];
        await fixture.Cache.StoreManyAsync(vehicles.SelectMany(v => endpoints.Select(e => new CacheWrite(account, v, e, TeslaSamples.ChargeState(1), TimeSpan.FromMinutes(5)))), Ct);
        await fixture.Tokens.StoreAsync(account, TeslaSamples.Token("a", "r"), TimeSpan.FromMinutes(1), Ct);
        await _db.ExecuteAsync("UPDATE tokens SET expires_at = now() - interval '1 day' WHERE tesla_account_id = @a", ("a", account));
        var one = (await fixture.Cache.BrowseAsync(new CacheFilter(VehicleId: vehicles[0]), cancellationToken: Ct)).Items[0].Id;

        Assert.Equal(1, await fixture.Cache.PurgeByIdsAsync([one], Ct));
        Assert.Equal(2, await fixture.Cache.PurgeVehicleAsync(vehicles[0], Ct));
        // The endpoint purge is table-wide: other tests of this class may have drive_state rows too.
        var driveStates = await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE endpoint_name = 'drive_state'");
        Assert.Equal(driveStates, await fixture.Cache.PurgeEndpointAsync("drive_state", Ct));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE endpoint_name = 'drive_state'"));
        // Left: charge_state and climate_state of vehicles 1 and 2.
        Assert.Equal(4L, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: account), Ct));
        await _db.ExecuteAsync("UPDATE vehicle_data_cache SET expires_at = now() - interval '1 second' WHERE vehicle_id = @v", ("v", vehicles[1]));
        Assert.Equal(2L, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: account, ExpiredOnly: true), Ct));
        Assert.True(await fixture.Cache.CleanupExpiredAsync(Ct) >= 2);
        Assert.Equal(2, await fixture.Cache.PurgeAccountAsync(account, Ct));
        Assert.Equal(0L, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: account), Ct));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE tesla_account_id = @a", ("a", account)));
    }
}
