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

    public Task<PurgePlan> PlanPurgeAsync(CachePurges purges, CancellationToken cancellationToken) =>
        purges.EntryAsync(Response.Id, Response.EndpointName, cancellationToken);
}
