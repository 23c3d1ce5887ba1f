using System.Globalization;
using System.Text.Json;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// Eight writers × many single-row and batch upserts of the same keys while cleanup runs without pause: no error
/// (no deadlock, no unique violation), one row per key, and each key holds the last write of a writer.
/// scripts/test.sh runs it at scale 1 (8 writers × 25 rounds × 12 keys: 2,400 single-row cache upserts, 48 vehicle
/// batches); scripts/soak.sh sets TESLADB_SOAK_SCALE (20: 48,000 single-row upserts, 808 batches of 12 vehicles).
/// </summary>
public sealed class SoakConcurrencyTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public const string ScaleVariable = "TESLADB_SOAK_SCALE";
    private const int Writers = 8;
    private const int Keys = 12;
    private readonly TestDatabase _db = fixture.Database;

    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1;

    [Fact]
    public async Task Eight_writers_of_overlapping_keys_and_a_running_cleanup_end_with_one_row_per_key_holding_a_last_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var rounds = 25 * Scale;
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Soak", cancellationToken: ct);
        var teslaIds = Enumerable.Range(0, Keys).Select(TeslaSamples.TeslaId).ToArray();
        var vehicleIds = await fixture.Vehicles.UpsertAsync(account.Id, teslaIds.Select((t, i) => TeslaSamples.Vehicle(t, TeslaSamples.Vin(i))), ct);
        var cacheKeys = vehicleIds.Values.Take(4).SelectMany(v => new[] { "charge_state", "climate_state", "drive_state" }.Select(e => (Vehicle: v, Endpoint: e))).ToArray();
        using var stop = new CancellationTokenSource();

        var cleaner = Task.Run(async () =>
        {
            var (runs, deleted) = (0, 0L);
            while (!stop.IsCancellationRequested)
            {
                deleted += await fixture.Cache.CleanupExpiredAsync(ct);
                runs++;
            }

            return (runs, deleted);
        }, ct);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var round = 0; round < rounds; round++)
            {
                // Single-row upserts of every key, in a different order for each writer and round; rows written
                // already expired (but the last round's) so that the cleanup deletes what writers rewrite.
                var ttl = round == rounds - 1 ? TimeSpan.FromHours(1) : TimeSpan.FromMilliseconds(1);
                foreach (var (vehicle, endpoint) in cacheKeys.OrderBy(_ => random.Next()))
                {
                    await fixture.Cache.StoreAsync(account.Id, vehicle, endpoint, TeslaSamples.Tagged(TeslaSamples.ChargeState(50), w, round), ttl, ct);
                }

                if (round % 5 == 0 || round == rounds - 1)
                {
                    var order = teslaIds.OrderBy(_ => random.Next()).ToArray();
                    await fixture.Vehicles.UpsertAsync(account.Id, order.Select(t => TeslaSamples.Tagged(TeslaSamples.Vehicle(t, TeslaSamples.Vin(Array.IndexOf(teslaIds, t))), w, round)), ct);
                }
            }
        }, ct)).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        var (cleanups, _) = await cleaner;
        Assert.True(cleanups > 0);

        Assert.Equal((long)Keys, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a", ("a", account.Id)));
        Assert.Equal((long)cacheKeys.Length, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @a", ("a", account.Id)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a AND (vehicle_data ->> 'round')::int <> @last", ("a", account.Id), ("last", rounds - 1)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @a AND ((response_data ->> 'round')::int <> @last OR expires_at <= now())", ("a", account.Id), ("last", rounds - 1)));
    }
}
