using System.Text.Json;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Eight writers upsert the same vehicles and cache keys while cleanup runs: no error, one row per key, and
/// each key ends with a writer's last write.</summary>
public sealed class ConcurrencyTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const int Writers = 8;
    private const int Rounds = 40;
    private readonly TestDatabase _db = fixture.Database;

    [Fact]
    public async Task Eight_writers_and_a_cleanup_end_with_one_row_per_key_holding_a_last_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Busy", cancellationToken: ct);
        var teslaIds = Enumerable.Range(0, 10).Select(TeslaSamples.TeslaId).ToArray();
        var vehicleIds = await fixture.Vehicles.UpsertAsync(account.Id, teslaIds.Select((t, i) => TeslaSamples.Vehicle(t, TeslaSamples.Vin(i))), ct);
        string[] endpoints = ["charge_state", "climate_state", "drive_state"];
        using var stop = new CancellationTokenSource();

        var cleaner = Task.Run(async () =>
        {
            var runs = 0;
            while (!stop.IsCancellationRequested)
            {
                await fixture.Cache.CleanupExpiredAsync(ct);
                runs++;
            }

            return runs;
        }, ct);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                // Overlapping keys in a different order per writer; some rows written already expired for the cleaner.
                var order = w % 2 == 0 ? teslaIds : teslaIds.Reverse().ToArray();
                await fixture.Vehicles.UpsertAsync(account.Id, order.Select((t, i) => TeslaSamples.Tagged(TeslaSamples.Vehicle(t, TeslaSamples.Vin(Array.IndexOf(teslaIds, t))), w, round)), ct);
                await fixture.Cache.StoreManyAsync(
                    vehicleIds.Values.SelectMany(v => endpoints.Select(e => new CacheWrite(account.Id, v, e, TeslaSamples.Tagged(TeslaSamples.ChargeState(50), w, round), round == Rounds - 1 ? TimeSpan.FromHours(1) : TimeSpan.FromMilliseconds(1)))),
                    ct);
            }
        }, ct)).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        Assert.True(await cleaner > 0);

        Assert.Equal(10L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a", ("a", account.Id)));
        Assert.Equal(30L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @a", ("a", account.Id)));
        // Each writer writes its rounds in order, so whoever wrote a row last wrote its last round there.
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a AND (vehicle_data ->> 'round')::int <> @last", ("a", account.Id), ("last", Rounds - 1)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @a AND (response_data ->> 'round')::int <> @last", ("a", account.Id), ("last", Rounds - 1)));
    }
}
