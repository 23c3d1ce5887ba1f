using TeslaDb.Access.Cache;

namespace TeslaDb.Admin.Core;

/// <summary>One cached response: a header of what and when, then its JSON pretty-printed.</summary>
public sealed class ResponseScreen(CachedResponse response) : Screen
{
    public CachedResponse Response { get; } = response;

    public override string Title => Response.EndpointName;

    public string Header =>
        $"{Response.EndpointName} · fetched {Format.Time(Response.LastFetchedAt)} · expires {(Response.ExpiresAt is null ? "never" : Format.Time(Response.ExpiresAt))} · {(Response.IsFresh ? "fresh" : "EXPIRED")} · id {Response.Id}";

    /// <summary>The payload indented, every token or secret field hidden (<see cref="SecretMask"/>): what the screen shows and Copy copies.</summary>
    public string Json => SecretMask.Json(Response.Data);

    /// <summary>What Delete purges here: this response.</summary>
    public PurgeScope PurgeScope => new PurgeScope.Entry(Response.Id, Response.EndpointName);
}
