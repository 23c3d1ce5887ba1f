using System.Text;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>How fresh one cached endpoint is.</summary>
public enum FreshnessState
{
    Fresh,

    /// <summary>Less than a fifth of its time to live (or a minute) left.</summary>
    ExpiringSoon,

    Expired,

    /// <summary>Stored without an expiry.</summary>
    NeverExpires,
}

/// <summary>One endpoint of a vehicle: fetched when, expires when, drawn as a lane on a shared time axis.</summary>
public sealed record FreshnessLane(string Endpoint, DateTimeOffset FetchedAt, DateTimeOffset? ExpiresAt, FreshnessState State, string Bar)
{
    public string StateText => State switch
    {
        FreshnessState.Fresh => "fresh",
        FreshnessState.ExpiringSoon => "expiring soon",
        FreshnessState.Expired => "EXPIRED",
        _ => "never expires",
    };
}

/// <summary>
/// "Why is this car's data stale?" on one screen: one lane per cached endpoint from its fetch to its expiry on a
/// shared time axis, with a mark for now, each lane's state, and the account's token state beside it (masked).
/// </summary>
public sealed class FreshnessReport
{
    /// <summary>Characters of a lane.</summary>
    public const int Width = 40;

    public static readonly IReadOnlyList<string> Columns = ["Endpoint", "fetched ━━ expires   (│ now)", "State", "Fetched", "Expires"];

    private FreshnessReport(string vin, IReadOnlyList<FreshnessLane> lanes, string token)
    {
        Vin = vin;
        Lanes = lanes;
        Token = token;
    }

    public string Vin { get; }

    public IReadOnlyList<FreshnessLane> Lanes { get; }

    /// <summary>The account's token, masked (TokenText): its state is the other half of "why is this stale".</summary>
    public string Token { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows =>
        [.. Lanes.Select(l => (IReadOnlyList<string>)[l.Endpoint, l.Bar, l.StateText, Format.Time(l.FetchedAt), l.ExpiresAt is null ? "never" : Format.Time(l.ExpiresAt)])];

    public static async Task<FreshnessReport> LoadAsync(AdminSession session, VehicleSummary vehicle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(vehicle);
        // A vehicle has one row per endpoint (a unique key): a page of 100 holds them all.
        var page = await session.Cache.BrowseAsync(new CacheFilter(VehicleId: vehicle.Id), null, 100, cancellationToken);
        var token = await session.Tokens.DescribeForAccountAsync(vehicle.TeslaAccountId, cancellationToken);
        // One line above the lanes (two when Tesla refused the refresh token: that mark first); never a token value
        // (TokenSummary holds none).
        var tokenLine = token is null
            ? "No token stored for this account: nothing can refresh this car's data."
            // A dead refresh token is the first answer to "why is this stale": it leads.
            : (TokenText.LoginRequired(token) is { } mark ? mark + "\n" : string.Empty)
              + $"Token {(token.IsExpired ? "EXPIRED" : "valid")} until {Format.Time(token.ExpiresAt)} · {TokenText.Presence(token)} · values hidden";
        return new FreshnessReport(vehicle.Vin, LanesOf(page.Items, now), tokenLine);
    }

    /// <summary>The lanes of <paramref name="entries"/> on one axis from the oldest fetch to the latest expiry (or now).</summary>
    public static IReadOnlyList<FreshnessLane> LanesOf(IReadOnlyList<CacheEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        var start = entries.Min(e => e.LastFetchedAt);
        var end = new[] { now }.Concat(entries.Where(e => e.ExpiresAt is not null).Select(e => e.ExpiresAt!.Value)).Max();
        var span = Math.Max(1, (end - start).Ticks) * 1.05; // a little room after the last mark
        int Column(DateTimeOffset t) => Math.Clamp((int)((t - start).Ticks / span * Width), 0, Width - 1);

        return [.. entries.OrderBy(e => e.EndpointName, StringComparer.Ordinal).Select(e =>
        {
            var bar = new StringBuilder(new string(' ', Width));
            var to = e.ExpiresAt is null ? Width - 1 : Column(e.ExpiresAt.Value);
            for (var c = Column(e.LastFetchedAt); c <= to; c++)
            {
                bar[c] = '━';
            }

            bar[Column(now)] = '│';
            return new FreshnessLane(e.EndpointName, e.LastFetchedAt, e.ExpiresAt, StateOf(e, now), bar.ToString());
        })];
    }

    private static FreshnessState StateOf(CacheEntry e, DateTimeOffset now)
    {
        if (e.ExpiresAt is not { } expires)
        {
            return FreshnessState.NeverExpires;
        }

        if (expires <= now)
        {
            return FreshnessState.Expired;
        }

        var left = expires - now;
        var ttl = expires - e.LastFetchedAt;
        return left < TimeSpan.FromMinutes(1) || left.Ticks < ttl.Ticks / 5 ? FreshnessState.ExpiringSoon : FreshnessState.Fresh;
    }
}
