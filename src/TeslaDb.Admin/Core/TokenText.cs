using TeslaDb.Access.Tokens;

namespace TeslaDb.Admin.Core;

/// <summary>The one way the console writes about a token: never its values, only what an operator needs. Built from
/// the token's summary, which needs no token key: the console runs without one.</summary>
public static class TokenText
{
    public static string Describe(TokenSummary? token) => token is null
        ? "No token stored for this account."
        : $"Token {token.Key}\n{(token.IsExpired ? "expired" : "expires")} {Format.Time(token.ExpiresAt)} · access token {(token.HasAccessToken ? "present" : "missing")} · refresh token {(token.HasRefreshToken ? "present" : "missing")} · values hidden"
          + (token.KeyId is null ? " · stored plain (run tesladb-migrate encrypt-tokens)" : $" · encrypted (key {token.KeyId})")
          + (token.LoginRequiredAt is null ? string.Empty : $"\nLOGIN REQUIRED since {Format.Time(token.LoginRequiredAt)}: Tesla refused the refresh token; the owner must log in again");
}
