using System.Text.Json;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// Where the fields of a stored token value that matter to decryption sit in its UTF-8 JSON, found in one forward
/// pass (the envelope's clear fields — scope, expiry, presence — are skipped). Positions, not copies: a read decodes
/// the nonce, tag and ciphertext straight from the column's bytes. A value without <c>ct</c> is a plain legacy row.
/// <see cref="Malformed"/>: a field of the wrong JSON type. <see cref="Escaped"/>: a string field written with JSON
/// escapes (never by us or by jsonb's output: base64 and key ids need none), which positions cannot describe; the
/// caller rewrites such a value without escapes and reads it again.
/// </summary>
internal readonly record struct EnvelopeFields(bool IsEnvelope, bool Malformed, bool Escaped, int? Version, Range KeyId, Range Nonce, Range Tag, Range Ciphertext)
{
    public static EnvelopeFields Read(ReadOnlySpan<byte> stored)
    {
        var reader = new Utf8JsonReader(stored);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        bool isEnvelope = false, malformed = false, escaped = false;
        int? version = null;
        Range keyId = default, nonce = default, tag = default, ciphertext = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ct"u8))
            {
                isEnvelope = true;
                ciphertext = StringAt(ref reader, ref malformed, ref escaped);
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                nonce = StringAt(ref reader, ref malformed, ref escaped);
            }
            else if (reader.ValueTextEquals("tag"u8))
            {
                tag = StringAt(ref reader, ref malformed, ref escaped);
            }
            else if (reader.ValueTextEquals("kid"u8))
            {
                keyId = StringAt(ref reader, ref malformed, ref escaped);
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

        return new EnvelopeFields(isEnvelope, malformed, escaped, version, keyId, nonce, tag, ciphertext);
    }

    // The position of the string value that follows; an empty range for anything else (and Malformed).
    private static Range StringAt(ref Utf8JsonReader reader, ref bool malformed, ref bool escaped)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            malformed = true;
            reader.Skip();
            return default;
        }

        escaped |= reader.ValueIsEscaped;
        var start = (int)reader.TokenStartIndex + 1;
        return start..(start + reader.ValueSpan.Length);
    }
}
