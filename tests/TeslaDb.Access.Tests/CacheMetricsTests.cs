using System.Diagnostics;
using TeslaDb.Access.Cache;
using static TeslaDb.Access.Tests.CacheTestInstances;

namespace TeslaDb.Access.Tests;

/// <summary>The cache's metrics and traces, as OpenTelemetry would collect them: counted per endpoint, never tagged
/// with a vehicle or account.</summary>
public sealed class CacheMetricsTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hits_misses_fetches_errors_stale_answers_coalesced_waits_and_durations_are_measured_per_endpoint()
    {
        const string endpoint = "metrics_probe";
        var (account, vehicles) = await fixture.SeedAsync(2);
        using var measurements = new CacheMeasurements(endpoint);
        var activities = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CacheTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("tesladb.cache.endpoint"), endpoint))
                {
                    lock (activities)
                    {
                        activities.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        var cache = fixture.Cache;

        // Vehicle 0: five concurrent misses share one fetch, then a hit.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = Enumerable.Range(0, 5).Select(_ => Task.Run(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], endpoint), async ct =>
        {
            await release.Task.WaitAsync(ct);
            return TeslaSamples.Parse("""{"n": 1}""");
        }, Ct), Ct)).ToArray();
        await WaitUntilAsync(() => measurements.Count("tesladb.cache.coalesced_waits") == 4);
        release.SetResult();
        await Task.WhenAll(readers);
        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], endpoint), _ => Task.FromResult(TeslaSamples.Parse("{}")), Ct);
        // Vehicle 1: an expired response and a failing fetch: stale served.
        await StoreExpiredAsync(fixture, account, vehicles[1], endpoint, TeslaSamples.Parse("""{"n": 2}"""), TimeSpan.FromMinutes(1));
        var stale = await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[1], endpoint), _ => throw new HttpRequestException("503"), Ct);

        Assert.True(stale.IsStale);
        Assert.Equal(1, measurements["tesladb.cache.hits"]);
        Assert.Equal(6, measurements["tesladb.cache.misses"]);
        Assert.Equal(4, measurements["tesladb.cache.coalesced_waits"]);
        Assert.Equal(2, measurements["tesladb.cache.fetches"]);
        Assert.Equal(1, measurements["tesladb.cache.fetch_errors"]);
        Assert.Equal(1, measurements["tesladb.cache.stale_served"]);
        Assert.Equal(7, measurements.Count("tesladb.cache.read.duration"));
        Assert.Equal(2, measurements.Count("tesladb.cache.fetch.duration"));
        Assert.True(measurements["tesladb.cache.read.duration"] > 0);
        Assert.Equal(["tesladb.cache.endpoint"], measurements.TagKeys);
        Assert.Equal(2, activities.Count);
        Assert.All(activities, a => Assert.Equal("tesladb.cache.fetch", a.OperationName));
        Assert.Single(activities, a => a.Status == ActivityStatusCode.Error);
        Assert.All(activities, a => Assert.DoesNotContain(a.Tags, t => t.Value == vehicles[0].ToString() || t.Value == vehicles[1].ToString() || t.Value == account.ToString()));
    }
}
