using System.Text.Json;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>What a token row keeps secret: the OAuth token response, and the refresh token it replaced (kept for
/// Tesla's ~24 h grace, so a refresh whose commit was lost after Tesla rotated can be recovered).</summary>
internal sealed class TokenSecrets(JsonElement token, string? previousRefreshToken = null, DateTimeOffset? rotatedAt = null)
{
    public JsonElement Token { get; } = token;
    public string? PreviousRefreshToken { get; } = previousRefreshToken;
    public DateTimeOffset? RotatedAt { get; } = rotatedAt;

    public string? Text(string property) =>
        Token.ValueKind == JsonValueKind.Object && Token.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public override string ToString() => "TokenSecrets (values hidden)";
}
