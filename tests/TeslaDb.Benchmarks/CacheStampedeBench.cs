using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Benchmarks;

/// <summary>
/// Paid Tesla calls under concurrent cold reads: N callers spread over 4 app instances (separate data sources) miss
/// the same (vehicle, endpoint) at once, the fetch taking as long as a Tesla call. Before: the read-through as it was
/// (read, fetch, store: every missing caller fetches). After: GetOrFetchAsync. Then the monthly bill of a sample fleet
/// from those counts.
/// </summary>
internal static class CacheStampedeBench
{
    private const int Instances = 4;
    private static readonly TimeSpan TeslaLatency = TimeSpan.FromMilliseconds(300);

    public static async Task<string> RunAsync(string connectionString, BenchOptions options)
    {
        var pooled = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 30 }.ConnectionString;
        var instances = Enumerable.Range(0, Instances).Select(_ => TeslaDbDatabase.Create(pooled)).ToArray();
        try
        {
            var account = await new TeslaAccountRepository(instances[0]).CreateAsync(Guid.NewGuid(), "Stampede");
            var ids = await new VehicleRepository(instances[0]).UpsertAsync(account.Id, [JsonDocument.Parse("""{"id": 1492932226450199, "vin": "5YJ3E1EA0PF000099", "state": "online"}""").RootElement]);
            var vehicle = ids.Values.Single();
            var rounds = options.Quick ? 2 : 5;
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"### Paid fetches per burst of concurrent cold reads of one (vehicle, endpoint), over {Instances} instances (separate data sources), fetch latency {TeslaLatency.TotalMilliseconds} ms, mean of {rounds} bursts{options.QuickNote}");
            text.AppendLine();
            text.AppendLine("| concurrent callers | before: read, fetch, store | after: GetOrFetchAsync | fetches saved |");
            text.AppendLine("| ---: | ---: | ---: | ---: |");
            var perBurst = new Dictionary<int, (double Before, double After)>();
            foreach (var callers in new[] { 4, 100 })
            {
                var before = await BurstsAsync(instances, callers, rounds, account.Id, vehicle, Before);
                var after = await BurstsAsync(instances, callers, rounds, account.Id, vehicle, After);
                perBurst[callers] = (before, after);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {callers} | {before:0.#} | {after:0.#} | {1 - (after / before):0%} |");
            }

            text.AppendLine();
            text.Append(Bill(perBurst[4].Before, perBurst[4].After));
            return text.ToString();
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private delegate Task ReadAsync(VehicleCacheRepository cache, Guid account, Guid vehicle, Func<CancellationToken, Task<JsonElement>> fetch);

    // The read-through before this change, verbatim: a miss fetches and stores, whoever else is missing at that moment.
    private static async Task Before(VehicleCacheRepository cache, Guid account, Guid vehicle, Func<CancellationToken, Task<JsonElement>> fetch)
    {
        if (await cache.GetFreshAsync(vehicle, "charge_state") is null)
        {
            await cache.StoreAsync(account, vehicle, "charge_state", await fetch(CancellationToken.None), TimeSpan.FromMinutes(1));
        }
    }

    private static Task After(VehicleCacheRepository cache, Guid account, Guid vehicle, Func<CancellationToken, Task<JsonElement>> fetch) =>
        cache.GetOrFetchAsync(new CacheRequest(account, vehicle, "charge_state"), fetch);

    private static async Task<double> BurstsAsync(TeslaDbDatabase[] instances, int callers, int rounds, Guid account, Guid vehicle, ReadAsync read)
    {
        var fetches = 0;
        async Task<JsonElement> Fetch(CancellationToken ct)
        {
            Interlocked.Increment(ref fetches);
            await Task.Delay(TeslaLatency, ct);
            return JsonDocument.Parse("""{"battery_level": 80}""").RootElement.Clone();
        }

        for (var round = 0; round < rounds; round++)
        {
            await new VehicleCacheRepository(instances[0]).PurgeVehicleAsync(vehicle);
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
            {
                start.Wait();
                await read(new VehicleCacheRepository(instances[i % instances.Length]), account, vehicle, Fetch);
            })).ToArray();
            start.Set();
            await Task.WhenAll(tasks);
        }

        return (double)fetches / rounds;
    }

    /// <summary>A sample fleet's month at Tesla's 2025 prices, from the fetch counts measured above.</summary>
    private static string Bill(double beforePerBurst, double afterPerBurst)
    {
        const int cars = 100;
        const double awakeShare = 6.0 / 24; // parked and asleep most of the day
        const double minutes = 30 * 24 * 60;
        const double dataRequest = 0.002; // $ per data request (500 per $1), 408 and 429 answers included
        const int endpoints = 3; // charge_state, climate_state, drive_state on a dashboard
        var noCache = cars * Instances * endpoints * minutes;
        var before = cars * endpoints * minutes * beforePerBurst;
        var after = cars * endpoints * minutes * awakeShare * afterPerBurst;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Sample fleet, per month: {cars} cars, a dashboard in each of {Instances} app instances refreshing {endpoints} endpoints of every car once a minute, at the same moments (TTL 1 minute); cars awake {awakeShare:0%} of the time; ${dataRequest} a data request (asleep cars answer 408, billed too).");
        text.AppendLine();
        text.AppendLine("| | Tesla calls / month | $ / month |");
        text.AppendLine("| --- | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| no cache | {noCache:N0} | {noCache * dataRequest:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| before: TTL cache, every missing instance fetches, asleep cars asked ({beforePerBurst:0.#} fetches per burst, measured) | {before:N0} | {before * dataRequest:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| after: one fetch per miss ({afterPerBurst:0.#} per burst, measured), asleep cars served from the cache | {after:N0} | {after * dataRequest:N0} |");
        text.AppendLine();
        return text.ToString();
    }
}
