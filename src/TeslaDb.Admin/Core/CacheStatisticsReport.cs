using TeslaDb.Access.Cache;

namespace TeslaDb.Admin.Core;

/// <summary>The statistics view: per endpoint, entries, expired, bytes and oldest fetch, then the totals.</summary>
public sealed class CacheStatisticsReport
{
    private CacheStatisticsReport(IReadOnlyList<EndpointStatistics> endpoints) => Endpoints = endpoints;

    public static IReadOnlyList<string> Columns { get; } = ["Endpoint", "Entries", "Expired", "Size", "Oldest fetch"];

    public IReadOnlyList<EndpointStatistics> Endpoints { get; }

    public long Entries => Endpoints.Sum(e => e.Entries);

    public long Expired => Endpoints.Sum(e => e.Expired);

    public long Bytes => Endpoints.Sum(e => e.Bytes);

    public DateTimeOffset? OldestFetch => Endpoints.Select(e => e.OldestFetch).Where(t => t is not null).DefaultIfEmpty(null).Min();

    /// <summary>One row per endpoint, then a "total" row.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows =>
    [
        .. Endpoints.Select(e => Row(e.EndpointName, e.Entries, e.Expired, e.Bytes, e.OldestFetch)),
        Row("total", Entries, Expired, Bytes, OldestFetch),
    ];

    public static async Task<CacheStatisticsReport> LoadAsync(AdminSession session, CancellationToken cancellationToken) =>
        new(await session.Cache.StatisticsAsync(null, cancellationToken));

    private static IReadOnlyList<string> Row(string name, long entries, long expired, long bytes, DateTimeOffset? oldest) =>
        [name, Format.Count(entries), Format.Count(expired), Format.Bytes(bytes), oldest is null ? "—" : Format.Time(oldest)];
}
