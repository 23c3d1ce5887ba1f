using TeslaDb.Access.Tokens;

namespace TeslaDb.Admin.Core;

/// <summary>The one way the console writes about a token: never its values, only what an operator needs.</summary>
public static class TokenText
{
    public static string Describe(TokenSummary? token) => token is null
        ? "No token stored for this account."
        : $"Token {token.Key}\n{(token.IsExpired ? "expired" : "expires")} {Format.Time(token.ExpiresAt)} · access token {(token.HasAccessToken ? "present" : "missing")} · refresh token {(token.HasRefreshToken ? "present" : "missing")} · values hidden";
}
