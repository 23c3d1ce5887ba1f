using System.Text.Encodings.Web;
using System.Text.Json;
using TeslaDb.Access.Cache;

namespace TeslaDb.Admin.Core;

/// <summary>One cached response: a header of what and when, then its JSON pretty-printed.</summary>
public sealed class ResponseScreen(CachedResponse response) : Screen
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public CachedResponse Response { get; } = response;

    public override string Title => Response.EndpointName;

    public string Header =>
        $"{Response.EndpointName} · fetched {Format.Time(Response.LastFetchedAt)} · expires {(Response.ExpiresAt is null ? "never" : Format.Time(Response.ExpiresAt))} · {(Response.IsFresh ? "fresh" : "EXPIRED")} · id {Response.Id}";

    public string Json => JsonSerializer.Serialize(Response.Data, Pretty);

    /// <summary>What Delete purges here: this response.</summary>
    public PurgeScope PurgeScope => new PurgeScope.Entry(Response.Id, Response.EndpointName);
}
