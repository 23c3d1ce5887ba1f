namespace TeslaDb.Access.Cache;

/// <summary>How one endpoint's responses are cached: resolved from <see cref="TeslaCacheOptions"/> for each read.</summary>
/// <param name="Ttl">How long a stored response is fresh; null never expires.</param>
/// <param name="MaxStale">How old (since it was fetched) a stored response may be and still be served when Tesla
/// cannot answer (failure, timeout, rate limiting).</param>
/// <param name="MayWake">Whether a fetch may go to a car whose last known state is asleep or offline. When false and
/// something is stored, the stored response is served whatever its age: a sleeping car's data does not change, and
/// asking would cost a wake ($0.02) and battery.</param>
/// <param name="SoftTimeout">With a stale response at hand, how long a caller waits for the fetch before it is served
/// the stale response; the fetch goes on in the background and stores its result.</param>
/// <param name="HardTimeout">The longest a fetch (and a caller waiting for one, here or in another instance) lasts;
/// past it the fetch is cancelled and the caller gets the stale response or a <see cref="TimeoutException"/>.</param>
public sealed record CachePolicy(TimeSpan? Ttl, TimeSpan MaxStale, bool MayWake, TimeSpan SoftTimeout, TimeSpan HardTimeout);

/// <summary>One endpoint's settings in configuration (<c>TeslaDb:Cache:Endpoints:charge_state:Ttl</c>); an unset value
/// falls back to <see cref="TeslaCacheOptions"/>' defaults.</summary>
public sealed class EndpointCacheOptions
{
    /// <summary>How long a stored response is fresh.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>How long past its expiry a response may still be served when Tesla cannot be asked (rate limit,
    /// error, a car asleep that may not be woken).</summary>
    public TimeSpan? MaxStale { get; set; }

    /// <summary>Whether a miss may wake the car (Tesla bills a wake far above a data request).</summary>
    public bool? MayWake { get; set; }
}

/// <summary>
/// The cache's policies (configuration section <c>TeslaDb:Cache</c>). The defaults follow what Tesla's data does:
/// configuration and settings change rarely (a day), charge and climate by the minute, position by the second; none
/// may wake a car (Tesla bills a wake 10× a data request, and it drains the battery).
/// </summary>
public sealed class TeslaCacheOptions
{
    /// <summary>For endpoints without an entry in <see cref="Endpoints"/>.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>For endpoints without an entry in <see cref="Endpoints"/>: see <see cref="EndpointCacheOptions.MaxStale"/>.</summary>
    public TimeSpan DefaultMaxStale { get; set; } = TimeSpan.FromHours(1);

    /// <summary>For endpoints without an entry in <see cref="Endpoints"/>: see <see cref="EndpointCacheOptions.MayWake"/> (false).</summary>
    public bool DefaultMayWake { get; set; }

    /// <summary>See <see cref="CachePolicy.SoftTimeout"/>.</summary>
    public TimeSpan SoftTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>See <see cref="CachePolicy.HardTimeout"/>. A wake takes 10–60 s; a data request should not.</summary>
    public TimeSpan HardTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The back-off recorded for a 429 that did not say how long to wait (no Retry-After).</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Per endpoint name; configuration adds to or changes these Tesla-fitting defaults.</summary>
    public Dictionary<string, EndpointCacheOptions> Endpoints { get; set; } = new(StringComparer.Ordinal)
    {
        ["vehicle_config"] = new() { Ttl = TimeSpan.FromDays(1), MaxStale = TimeSpan.FromDays(30) },
        ["gui_settings"] = new() { Ttl = TimeSpan.FromDays(1), MaxStale = TimeSpan.FromDays(30) },
        ["vehicle_state"] = new() { Ttl = TimeSpan.FromMinutes(5), MaxStale = TimeSpan.FromHours(6) },
        ["charge_state"] = new() { Ttl = TimeSpan.FromMinutes(1), MaxStale = TimeSpan.FromHours(1) },
        ["climate_state"] = new() { Ttl = TimeSpan.FromMinutes(1), MaxStale = TimeSpan.FromHours(1) },
        ["vehicle_data"] = new() { Ttl = TimeSpan.FromMinutes(1), MaxStale = TimeSpan.FromHours(1) },
        ["drive_state"] = new() { Ttl = TimeSpan.FromSeconds(30), MaxStale = TimeSpan.FromMinutes(15) },
        ["location_data"] = new() { Ttl = TimeSpan.FromSeconds(30), MaxStale = TimeSpan.FromMinutes(15) },
    };

    /// <summary>The policy of <paramref name="endpointName"/>.</summary>
    public CachePolicy PolicyFor(string endpointName)
    {
        Endpoints.TryGetValue(endpointName, out var e);
        return new CachePolicy(e?.Ttl ?? DefaultTtl, e?.MaxStale ?? DefaultMaxStale, e?.MayWake ?? DefaultMayWake, SoftTimeout, HardTimeout);
    }

    /// <summary>Every problem of these options, one line each (empty when valid): checked at start-up.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(string name, TimeSpan? value)
        {
            if (value is { } v && v <= TimeSpan.Zero)
            {
                problems.Add($"{name} must be positive (it is {v}).");
            }
        }

        Positive("Cache:DefaultTtl", DefaultTtl);
        Positive("Cache:SoftTimeout", SoftTimeout);
        Positive("Cache:HardTimeout", HardTimeout);
        Positive("Cache:DefaultRetryAfter", DefaultRetryAfter);
        if (DefaultMaxStale < TimeSpan.Zero)
        {
            problems.Add("Cache:DefaultMaxStale must not be negative.");
        }

        if (SoftTimeout > HardTimeout)
        {
            problems.Add($"Cache:SoftTimeout ({SoftTimeout}) must not exceed Cache:HardTimeout ({HardTimeout}).");
        }

        foreach (var (name, e) in Endpoints)
        {
            if (!Validation.TeslaDbValidation.IsEndpoint(name))
            {
                problems.Add($"Cache:Endpoints:{name} is not an endpoint name (a lower-case identifier such as charge_state).");
            }

            Positive($"Cache:Endpoints:{name}:Ttl", e.Ttl);
            if (e.MaxStale < TimeSpan.Zero)
            {
                problems.Add($"Cache:Endpoints:{name}:MaxStale must not be negative.");
            }
        }

        return problems;
    }
}
