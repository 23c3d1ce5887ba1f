using System.Text.Json;

namespace TeslaDb.Access.Tokens;

/// <summary>The app's call to Tesla's token endpoint (grant_type=refresh_token): returns Tesla's token response
/// (access_token, refresh_token, expires_in, …). Throws <see cref="TeslaLoginRequiredException"/> when Tesla
/// answers <c>login_required</c>; any other exception leaves the stored token as it was.</summary>
public delegate Task<JsonElement> TokenRefreshCallback(TokenRefreshRequest request, CancellationToken cancellationToken);

/// <summary>What a refresh needs. <see cref="ToString"/> hides the refresh token.</summary>
public sealed class TokenRefreshRequest(string key, Guid? teslaAccountId, string refreshToken)
{
    /// <summary>The token row's key.</summary>
    public string Key { get; } = key;

    /// <summary>The account being refreshed; null for a legacy row not linked to an account.</summary>
    public Guid? TeslaAccountId { get; } = teslaAccountId;

    /// <summary>The refresh token to send to Tesla. Secret; single use.</summary>
    public string RefreshToken { get; } = refreshToken;

    /// <summary>The key only; the refresh token is hidden.</summary>
    public override string ToString() => $"TokenRefreshRequest {Key} (refresh token hidden)";
}

/// <summary>Thrown by a <see cref="TokenRefreshCallback"/> when Tesla answers 401 <c>login_required</c>: the refresh
/// token is dead (reused, expired, or the password changed). The account is then marked as needing a new login.</summary>
public sealed class TeslaLoginRequiredException(string message = "Tesla answered login_required: the owner must log in again.", Exception? inner = null)
    : Exception(message, inner);

/// <summary>The account's owner must log in again: Tesla answered <c>login_required</c> (now or earlier; no refresh
/// is attempted until a new token is stored), or there is no token or no refresh token to refresh with.</summary>
public sealed class TokenReauthenticationRequiredException(string key, DateTimeOffset? loginRequiredAt, string message) : Exception(message)
{
    /// <summary>The token's key; empty when the account has no token at all.</summary>
    public string Key { get; } = key;

    /// <summary>When Tesla answered <c>login_required</c>; null when the token is missing or has no refresh token.</summary>
    public DateTimeOffset? LoginRequiredAt { get; } = loginRequiredAt;
}

/// <summary>The wait for another refresher's lock on the token row went past its bound.</summary>
public sealed class TokenRefreshTimeoutException(string message, Exception inner) : TimeoutException(message, inner);

/// <summary>What one pass of <see cref="TokenRepository.RefreshExpiringAsync"/> did.</summary>
public sealed record TokenRefreshReport(int Refreshed, int AlreadyFresh, int LoginRequired, IReadOnlyList<string> FailedKeys)
{
    /// <summary>How many tokens failed to refresh (their keys are in <see cref="FailedKeys"/>).</summary>
    public int Failed => FailedKeys.Count;
}
