using System.Text.Json;

namespace TeslaDb.Access.Tokens;

/// <summary>
/// A stored OAuth token, decrypted. <see cref="ToString"/> shows the key and expiry only: the access and refresh tokens never
/// end up in a log line or an exception message through it.
/// </summary>
public sealed class TeslaToken(
    string key, Guid? teslaAccountId, JsonElement data, DateTimeOffset? expiresAt, DateTimeOffset createdAt, DateTimeOffset updatedAt,
    string? keyId = null, string? previousRefreshToken = null, DateTimeOffset? loginRequiredAt = null)
{
    /// <summary>The row's key (<c>user_token:{supabase_user_id}:{tesla_account_id}</c>, or a legacy form).</summary>
    public string Key { get; } = key;

    /// <summary>The account the token belongs to; null for a legacy row not linked yet.</summary>
    public Guid? TeslaAccountId { get; } = teslaAccountId;

    /// <summary>The token response as stored (access_token, refresh_token, expires_in, …). Secret.</summary>
    public JsonElement Data { get; } = data;

    /// <summary>When the access token expires. An expired token is normal: its refresh token still works.</summary>
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;
    /// <summary>When the row was first stored.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>When the row was last written (the database sets it on every update).</summary>
    public DateTimeOffset UpdatedAt { get; } = updatedAt;

    /// <summary>The id of the key the row is encrypted under; null for a plain legacy row (the next write encrypts it).</summary>
    public string? KeyId { get; } = keyId;

    /// <summary>The refresh token the last refresh replaced. Tesla keeps it valid about 24 h after a rotation: the
    /// way back when a refresh's commit was lost after Tesla rotated. Secret.</summary>
    public string? PreviousRefreshToken { get; } = previousRefreshToken;

    /// <summary>When Tesla answered <c>login_required</c>: the owner must log in again; refreshes stop until a new
    /// token is stored.</summary>
    public DateTimeOffset? LoginRequiredAt { get; } = loginRequiredAt;

    /// <summary>The bearer token for Tesla's API. Secret.</summary>
    public string? AccessToken => Text("access_token");

    /// <summary>The refresh token (single use: a refresh rotates it). Secret.</summary>
    public string? RefreshToken => Text("refresh_token");

    /// <summary>Whether a refresh token is present, without handing it out.</summary>
    public bool HasRefreshToken => !string.IsNullOrEmpty(RefreshToken);

    /// <summary>Key, expiry, key id and state; never a token value.</summary>
    public override string ToString() =>
        $"TeslaToken {Key} (expires {ExpiresAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}, refresh token {(HasRefreshToken ? "present" : "absent")}, {(KeyId is null ? "stored plain" : $"encrypted under key '{KeyId}'")}{(LoginRequiredAt is null ? string.Empty : ", login required")})";

    private string? Text(string property) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>A token due for a refresh, without its secrets.</summary>
public sealed record TokenExpiry(string Key, Guid? TeslaAccountId, DateTimeOffset? ExpiresAt, bool HasRefreshToken)
{
    /// <summary>Set when Tesla answered <c>login_required</c>: a refresher skips it.</summary>
    public DateTimeOffset? LoginRequiredAt { get; init; }
}

/// <summary>What an operator may see of a token: its key and expiry, and whether it holds an access and a refresh
/// token. Computed by the database, so the token values never leave it, and no key is needed.</summary>
public sealed record TokenSummary(
    string Key, Guid? TeslaAccountId, DateTimeOffset? ExpiresAt, bool IsExpired, bool HasAccessToken, bool HasRefreshToken, DateTimeOffset UpdatedAt)
{
    /// <summary>The id of the key the value is encrypted under; null when the row is still plain.</summary>
    public string? KeyId { get; init; }

    /// <summary>When Tesla answered <c>login_required</c>: the owner must log in again.</summary>
    public DateTimeOffset? LoginRequiredAt { get; init; }
}
