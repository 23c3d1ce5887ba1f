using System.Text.Json;

namespace TeslaDb.Access.Cache;

/// <summary>What a cache read asks for. A null <paramref name="Ttl"/> takes the endpoint's policy
/// (<see cref="TeslaCacheOptions"/>).</summary>
public sealed record CacheRequest(Guid TeslaAccountId, Guid VehicleId, string EndpointName, TimeSpan? Ttl = null);

/// <summary>Why a stale response was served instead of a fresh one.</summary>
public enum StaleReason
{
    /// <summary>The fetch threw.</summary>
    FetchFailed,

    /// <summary>The fetch took longer than the soft timeout; it goes on in the background and stores its result.</summary>
    SoftTimeout,

    /// <summary>The fetch (or the wait for another instance's fetch) took longer than the hard timeout.</summary>
    HardTimeout,

    /// <summary>Tesla answered 429, now or earlier for this account (the shared back-off).</summary>
    RateLimited,

    /// <summary>The car is asleep or offline and the endpoint's policy may not wake it.</summary>
    VehicleAsleep,
}

/// <summary>A cached or fetched response. <see cref="IsStale"/> is true when it is past its expiry;
/// <see cref="Age"/> is the time since Tesla gave it (zero for a response fetched by this call).</summary>
public sealed record CacheResult(JsonElement Value, bool IsStale, TimeSpan Age, StaleReason? Reason = null, Exception? Error = null);

/// <summary>
/// Thrown by a fetch to report Tesla's HTTP 429: every instance on the database then leaves the account alone until
/// <see cref="RetryAfter"/> has passed and the cache serves stored responses. (An <see cref="System.Net.Http.HttpRequestException"/>
/// with status 429 counts too, with <see cref="TeslaCacheOptions.DefaultRetryAfter"/>.)
/// </summary>
public sealed class TeslaRateLimitedException : Exception
{
    /// <summary>Tesla's 429, with its Retry-After when it sent one.</summary>
    public TeslaRateLimitedException(TimeSpan? retryAfter)
        : base(retryAfter is { } r ? $"Tesla asked to wait {r} before the next request (HTTP 429)." : "Tesla answered 429 Too Many Requests.")
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Tesla's 429 without a Retry-After.</summary>
    public TeslaRateLimitedException()
        : this((TimeSpan?)null)
    {
    }

    /// <summary>Tesla's 429 without a Retry-After, in the caller's words.</summary>
    public TeslaRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Tesla's 429 without a Retry-After, in the caller's words, with what reported it.</summary>
    public TeslaRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Tesla's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Until when the account is backed off (set when the back-off came from the database).</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
