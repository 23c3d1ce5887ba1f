using System.Text.Json;

namespace TeslaDb.Access.Cache;

/// <summary>A cached endpoint response with its payload.</summary>
public sealed record CachedResponse(
    Guid Id, Guid TeslaAccountId, Guid VehicleId, string EndpointName, JsonElement Data,
    DateTimeOffset? ExpiresAt, DateTimeOffset LastFetchedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool IsFresh);

/// <summary>A cache row for listing: no payload, its size instead. <see cref="IsFresh"/> is decided by the database clock.</summary>
public sealed record CacheEntry(
    Guid Id, Guid TeslaAccountId, Guid VehicleId, string EndpointName, DateTimeOffset? ExpiresAt, DateTimeOffset LastFetchedAt, bool IsFresh, int SizeBytes);

/// <summary>One response to store. A null <paramref name="Ttl"/> never expires.</summary>
public sealed record CacheWrite(Guid TeslaAccountId, Guid VehicleId, string EndpointName, JsonElement Response, TimeSpan? Ttl);

/// <summary>Which cache rows a browse, count or purge is about; all of them when every part is null.</summary>
public sealed record CacheFilter(Guid? TeslaAccountId = null, Guid? VehicleId = null, string? EndpointName = null, bool ExpiredOnly = false)
{
    /// <summary>Every cache row.</summary>
    public static CacheFilter All { get; } = new();
}

/// <summary>A page of cache rows in id order; pass <see cref="NextAfter"/> to get the next page (null: last page).</summary>
public sealed record CachePage(IReadOnlyList<CacheEntry> Items, Guid? NextAfter);

/// <summary>What the cache holds for one endpoint.</summary>
public sealed record EndpointStatistics(string EndpointName, long Entries, long Expired, long Bytes, DateTimeOffset? OldestFetch);
