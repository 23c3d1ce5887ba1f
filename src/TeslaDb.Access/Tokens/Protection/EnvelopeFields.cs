using System.Text.Json;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// The fields of a stored token value that matter to decryption, read in one forward pass over its UTF-8 JSON
/// (the envelope's clear fields — scope, expiry, presence — are skipped). A value without <c>ct</c> is a plain
/// legacy row. <see cref="Malformed"/>: an envelope whose nonce, tag or ciphertext is not a base64 string.
/// </summary>
internal readonly record struct EnvelopeFields(bool IsEnvelope, bool Malformed, int? Version, string? KeyId, byte[]? Nonce, byte[]? Tag, byte[]? Ciphertext)
{
    public static EnvelopeFields Read(ReadOnlySpan<byte> stored)
    {
        var reader = new Utf8JsonReader(stored);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        bool isEnvelope = false, malformed = false;
        int? version = null;
        string? keyId = null;
        byte[]? nonce = null, tag = null, ciphertext = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ct"u8))
            {
                isEnvelope = true;
                reader.Read();
                malformed |= !Base64(ref reader, out ciphertext);
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                reader.Read();
                malformed |= !Base64(ref reader, out nonce);
            }
            else if (reader.ValueTextEquals("tag"u8))
            {
                reader.Read();
                malformed |= !Base64(ref reader, out tag);
            }
            else if (reader.ValueTextEquals("kid"u8))
            {
                reader.Read();
                keyId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("v"u8))
            {
                reader.Read();
                version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new EnvelopeFields(isEnvelope, malformed, version, keyId, nonce, tag, ciphertext);
    }

    private static bool Base64(ref Utf8JsonReader reader, out byte[]? bytes)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out bytes))
        {
            return true;
        }

        bytes = null;
        reader.Skip();
        return false;
    }
}
