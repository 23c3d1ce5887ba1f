using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TeslaDb.Access.Cache;

namespace TeslaDb.Access.Tests;

/// <summary>Listens to the cache's meter and sums each instrument for one endpoint (tests give each case an endpoint
/// name of its own: the meter is process-wide and test classes run in parallel).</summary>
internal sealed class CacheMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<KeyValuePair<string, object?>[]>> _tags = new();

    public CacheMeasurements(string endpointName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CacheTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "tesladb.cache.endpoint" && Equals(tag.Value, endpointName))
                {
                    _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                    _tags.GetOrAdd(instrument.Name, _ => []).Add(tags.ToArray());
                    return;
                }
            }
        }
    }

    /// <summary>The sum of an instrument's measurements (for a histogram: of the recorded values).</summary>
    public double this[string instrument] => _sums.TryGetValue(instrument, out var sum) ? sum : 0;

    /// <summary>How many measurements an instrument took.</summary>
    public int Count(string instrument) => _tags.TryGetValue(instrument, out var bag) ? bag.Count : 0;

    /// <summary>Every tag key any measurement carried.</summary>
    public IEnumerable<string> TagKeys => _tags.Values.SelectMany(b => b).SelectMany(t => t).Select(t => t.Key).Distinct();

    public void Dispose() => _listener.Dispose();
}
