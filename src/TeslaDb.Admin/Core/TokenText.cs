using TeslaDb.Access.Tokens;

namespace TeslaDb.Admin.Core;

/// <summary>The one way the console writes about a token: never its values, only what an operator needs. Built from
/// the token's summary, which needs no token key: the console runs without one.</summary>
public static class TokenText
{
    /// <summary>Up to three lines, each within 120 columns and its most useful words first (a narrower terminal cuts
    /// the tails): a login-required mark (the one thing an operator must not miss), the key, then expiry, presence and
    /// how the value is stored.</summary>
    public static string Describe(TokenSummary? token) => token is null
        ? "No token stored for this account."
        : (LoginRequired(token) is { } mark ? mark + "\n" : string.Empty)
          + $"Token {token.Key} · values hidden\n"
          + $"{(token.IsExpired ? "expired" : "expires")} {Format.Time(token.ExpiresAt)} · {Presence(token)}"
          + (token.KeyId is null ? " · plain (tesladb-migrate encrypt-tokens)" : $" · encrypted (key {token.KeyId})");

    /// <summary>The mark of a token Tesla refused (it leads wherever a token is described); null otherwise.</summary>
    public static string? LoginRequired(TokenSummary token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.LoginRequiredAt is null
            ? null
            : $"LOGIN REQUIRED since {Format.Time(token.LoginRequiredAt)}: the owner must log in again (Tesla refused the refresh token)";
    }

    /// <summary>Whether an access and a refresh token are present (never what they are).</summary>
    public static string Presence(TokenSummary token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return $"access token {(token.HasAccessToken ? "present" : "missing")} · refresh token {(token.HasRefreshToken ? "present" : "missing")}";
    }
}
