using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// The fields of a stored token value that matter to decryption, read in one forward pass over its UTF-8 JSON
/// (the envelope's clear fields — scope, expiry, presence — are skipped). A value without <c>ct</c> is a plain
/// legacy row. <see cref="Malformed"/>: an envelope whose nonce, tag or ciphertext is not a base64 string.
/// </summary>
internal readonly record struct EnvelopeFields(bool IsEnvelope, bool Malformed, int? Version, string? KeyId, byte[]? Nonce, byte[]? Tag, Range Ciphertext, byte[]? EscapedCiphertext)
{
    /// <summary>The ciphertext's base64 text in <paramref name="stored"/> (what the database prints: never escaped),
    /// decoded in place of a copy; null when it was escaped (then <see cref="EscapedCiphertext"/> holds it decoded).</summary>
    public int MaxCiphertextBytes(ReadOnlySpan<byte> stored) =>
        EscapedCiphertext?.Length ?? Base64.GetMaxDecodedFromUtf8Length(stored[Ciphertext].Length);

    /// <summary>Decodes the ciphertext into <paramref name="destination"/>; false when it is not valid base64.</summary>
    public bool TryDecodeCiphertext(ReadOnlySpan<byte> stored, Span<byte> destination, out int written)
    {
        if (EscapedCiphertext is { } decoded)
        {
            decoded.CopyTo(destination);
            written = decoded.Length;
            return true;
        }

        return Base64.DecodeFromUtf8(stored[Ciphertext], destination, out _, out written) == OperationStatus.Done;
    }

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
        byte[]? nonce = null, tag = null, escapedCiphertext = null;
        Range ciphertext = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ct"u8))
            {
                isEnvelope = true;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    // Decoded later straight from the input: the reader's own base64 decoding costs several times more.
                    var start = (int)reader.TokenStartIndex + 1;
                    ciphertext = start..(start + reader.ValueSpan.Length);
                }
                else
                {
                    malformed |= !TryReadBase64(ref reader, out escapedCiphertext);
                }
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                reader.Read();
                malformed |= !TryReadBase64(ref reader, out nonce);
            }
            else if (reader.ValueTextEquals("tag"u8))
            {
                reader.Read();
                malformed |= !TryReadBase64(ref reader, out tag);
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

        return new EnvelopeFields(isEnvelope, malformed, version, keyId, nonce, tag, ciphertext, escapedCiphertext);
    }

    private static bool TryReadBase64(ref Utf8JsonReader reader, out byte[]? bytes)
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
