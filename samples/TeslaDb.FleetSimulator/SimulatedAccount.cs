using System.Security.Cryptography;

namespace TeslaDb.FleetSimulator;

/// <summary>A Tesla account of the simulator: its cars and its token chain. A refresh token works once: refreshing
/// rotates it, and the previous one keeps working only for <see cref="SimulatorOptions.PreviousRefreshTokenGrace"/>
/// (Tesla: about 24 h); any older one answers 401 <c>login_required</c> and logs the account out, as Tesla does.</summary>
public sealed class SimulatedAccount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = [];
    private readonly HashSet<string> _issuedRefreshTokens = [];
    private string _refreshToken;
    private (string Token, DateTimeOffset Until)? _previous;

    internal SimulatedAccount(string email, IReadOnlyList<SimulatedVehicle> vehicles)
    {
        Email = email;
        Vehicles = vehicles;
        _refreshToken = NewToken("rt");
        _issuedRefreshTokens.Add(_refreshToken);
    }

    public string Email { get; }

    public IReadOnlyList<SimulatedVehicle> Vehicles { get; }

    /// <summary>The refresh token an app holds after the owner logged in (hand it to the app once).</summary>
    public string CurrentRefreshToken
    {
        get { lock (_gate) { return _refreshToken; } }
    }

    /// <summary>True once a refresh token was reused: the owner must log in again (what the sample must never cause).</summary>
    public bool LoggedOut { get; private set; }

    /// <summary>How many refreshes succeeded.</summary>
    public int Refreshes { get; private set; }

    /// <summary>Rate limited until then: every Fleet API call of the account answers 429 with Retry-After.</summary>
    public DateTimeOffset? RateLimitedUntil { get; set; }

    /// <summary>True when this account issued <paramref name="refreshToken"/> (now or earlier).</summary>
    internal bool Issued(string refreshToken)
    {
        lock (_gate)
        {
            return _issuedRefreshTokens.Contains(refreshToken);
        }
    }

    /// <summary>Rotates the pair, or logs the owner out (null) when <paramref name="refreshToken"/>, one this account
    /// issued, is no longer usable.</summary>
    internal (string Access, string Refresh)? Refresh(string refreshToken, DateTimeOffset now, TimeSpan accessLifetime, TimeSpan grace)
    {
        lock (_gate)
        {
            var usable = refreshToken == _refreshToken || (_previous is { } p && p.Token == refreshToken && now < p.Until);
            if (!usable)
            {
                LoggedOut = true;
                return null;
            }

            _previous = (_refreshToken, now + grace);
            _refreshToken = NewToken("rt");
            _issuedRefreshTokens.Add(_refreshToken);
            var access = NewToken("at") + "." + RandomNumberGenerator.GetHexString(1100); // a JWT is ~1.2 KB
            _accessTokens[access] = now + accessLifetime;
            Refreshes++;
            return (access, _refreshToken);
        }
    }

    internal bool Accepts(string accessToken, DateTimeOffset now)
    {
        lock (_gate)
        {
            return !LoggedOut && _accessTokens.TryGetValue(accessToken, out var expires) && now < expires;
        }
    }

    internal SimulatedVehicle? Find(long id) => Vehicles.FirstOrDefault(v => v.Id == id);

    private static string NewToken(string prefix) => $"{prefix}-{RandomNumberGenerator.GetHexString(32)}";
}
