using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TeslaDb.Access.Cache;

/// <summary>
/// The cache's metrics (meter <c>TeslaDb.Access</c>) and traces (activity source <c>TeslaDb.Access</c>), which
/// OpenTelemetry collects by name (<c>AddMeter("TeslaDb.Access")</c>, <c>AddSource("TeslaDb.Access")</c>). Every
/// measurement is tagged with the endpoint only, never a vehicle or account: those would make one time series per
/// car and put identifiers in the monitoring system.
/// </summary>
public static class CacheTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and meter to listen to (OpenTelemetry's <c>AddSource</c>/<c>AddMeter</c>).</summary>
    public const string Name = "TeslaDb.Access";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Hits = Meter.CreateCounter<long>("tesladb.cache.hits", "{read}", "Reads answered by a fresh stored response.");
    internal static readonly Counter<long> Misses = Meter.CreateCounter<long>("tesladb.cache.misses", "{read}", "Reads that found no fresh stored response.");
    internal static readonly Counter<long> StaleServed = Meter.CreateCounter<long>("tesladb.cache.stale_served", "{read}", "Reads answered by an expired stored response (fail-safe, sleeping car, back-off).");
    internal static readonly Counter<long> Fetches = Meter.CreateCounter<long>("tesladb.cache.fetches", "{call}", "Calls of the fetch (paid Tesla requests).");
    internal static readonly Counter<long> FetchErrors = Meter.CreateCounter<long>("tesladb.cache.fetch_errors", "{call}", "Fetches that threw, timed out or were rate limited.");
    internal static readonly Counter<long> CoalescedWaits = Meter.CreateCounter<long>("tesladb.cache.coalesced_waits", "{read}", "Reads that waited for a fetch another caller had started instead of fetching.");
    internal static readonly Histogram<double> ReadDuration = Meter.CreateHistogram<double>("tesladb.cache.read.duration", "s", "Duration of GetOrFetchAsync, hit or miss.");
    internal static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>("tesladb.cache.fetch.duration", "s", "Duration of the fetch alone.");

    internal static KeyValuePair<string, object?> Endpoint(string endpointName) => new("tesladb.cache.endpoint", endpointName);
}
