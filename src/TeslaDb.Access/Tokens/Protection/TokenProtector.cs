using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// Seals token values into the envelope stored in <c>tokens.token_data</c>, and opens it:
/// <code>{"v":1,"kid":"k1","n":"…","tag":"…","ct":"…","has_access_token":true,"has_refresh_token":true,"scope":"…",
///  "token_type":"Bearer","expires_in":28800,"expires_at":"…"}</code>
/// AES-256-GCM (the BCL's <see cref="AesGcm"/>), a random 12-byte nonce per value, a 16-byte tag. The associated
/// data binds the version, the key id and the row's key: a ciphertext copied to another row, or relabelled with
/// another key id, fails authentication. The fields after <c>ct</c> are not secret and stay readable in SQL, so
/// expiry and presence checks (and the admin console) need no key. A row without <c>ct</c> is a plain legacy row
/// (the seed's own INSERT) and is read as it is; the next write encrypts it.
/// </summary>
internal sealed class TokenProtector(TokenKeyring keyring)
{
    public const int Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    // The associated data is built on the stack up to this size (a row key is ~60 bytes), on the heap beyond.
    private const int AssociatedDataStackBytes = 256;
    private static readonly byte[] AssociatedDataPrefix = Encoding.UTF8.GetBytes($"tesladb-token|v{Version}|");

    // JSON's own escapes only. The default encoder also escapes what is risky in HTML ('+', '<', '&', non-ASCII…):
    // a base64 token then holds dozens of \u002B, and reading them back sends the parser down its slow unescaping
    // path (a token's plaintext parsed 7× slower). Neither text is ever put into HTML; both are only parsed as JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AesGcmPool _aes = new(keyring, TagBytes);

    public TokenKeyring Keyring { get; } = keyring;

    /// <summary>The envelope (JSON text) of <paramref name="secrets"/> for the row <paramref name="tokenKey"/>, under the current key.</summary>
    public string Seal(string tokenKey, TokenSecrets secrets)
    {
        var keyId = Keyring.CurrentId ?? throw new TokenKeyException(null,
            $"Cannot store token {tokenKey}: no token key is configured. Set {TokenKeyring.EnvironmentVariable} (id:base64key; generate one with 'openssl rand -base64 32' or 'tesladb-migrate generate-token-key'), see docs/security.md.");
        var plaintext = Plaintext(secrets);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = _aes.Rent(keyId))
        {
            aes.Aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(keyId, tokenKey, stackalloc byte[AssociatedDataStackBytes]));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var buffer = new ArrayBufferWriter<byte>(ciphertext.Length * 2 + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("kid", keyId);
            writer.WriteBase64String("n", nonce);
            writer.WriteBase64String("tag", tag);
            writer.WriteBase64String("ct", ciphertext);
            writer.WriteBoolean("has_access_token", !string.IsNullOrEmpty(secrets.Text("access_token")));
            writer.WriteBoolean("has_refresh_token", !string.IsNullOrEmpty(secrets.Text("refresh_token")));
            foreach (var clear in (ReadOnlySpan<string>)["scope", "token_type", "expires_in"])
            {
                if (secrets.Token.ValueKind == JsonValueKind.Object && secrets.Token.TryGetProperty(clear, out var value)
                    && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    writer.WritePropertyName(clear);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The secrets of a stored value (detached from <paramref name="stored"/>'s document): an envelope
    /// decrypted, a plain legacy row as it is.</summary>
    /// <exception cref="TokenKeyException">No key, the key id missing, a malformed, tampered or moved envelope.</exception>
    public TokenSecrets Open(string tokenKey, JsonElement stored)
    {
        // Written by Utf8JsonWriter, not JsonSerializer: no reflection-based serializer, which a trimmed or Native AOT
        // program (the console, published so) does not have.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            stored.WriteTo(writer);
        }

        return Open(tokenKey, buffer.WrittenSpan, out _);
    }

    /// <summary>
    /// The secrets of a stored value given as its JSON text in UTF-8 (<c>token_data</c> as the database prints it),
    /// and the key id it is encrypted under (null for a plain row). The envelope is read in one forward pass
    /// (<see cref="Utf8JsonReader"/>, no document) for the positions of its fields, the nonce and tag decoded onto the
    /// stack, the ciphertext into a pooled buffer, and the plaintext parsed once: a token read pays one JSON parse of the token, as a plain row does, plus AES-GCM.
    /// </summary>
    /// <exception cref="TokenKeyException">No key, the key id missing, a malformed, tampered or moved envelope.</exception>
    public TokenSecrets Open(string tokenKey, ReadOnlySpan<byte> stored, out string? keyId) => Open(tokenKey, stored, rewritten: false, out keyId);

    private TokenSecrets Open(string tokenKey, ReadOnlySpan<byte> stored, bool rewritten, out string? keyId)
    {
        var envelope = EnvelopeFields.Read(stored);
        if (!envelope.IsEnvelope)
        {
            keyId = null;
            var plain = new Utf8JsonReader(stored);
            return new TokenSecrets(JsonElement.ParseValue(ref plain));
        }

        if (envelope.Escaped && !envelope.Malformed && !rewritten)
        {
            // Escapes in a base64 field or key id: not what we or jsonb write. Rewritten without them (every character
            // these fields may hold needs none), then read by position like any other.
            return Open(tokenKey, Unescaped(stored) ?? throw Damaged(tokenKey, Encoding.UTF8.GetString(stored[envelope.KeyId])), rewritten: true, out keyId);
        }

        var keyIdText = stored[envelope.KeyId];
        keyId = Keyring.Find(keyIdText) ?? (envelope.KeyId.Equals(default(Range)) ? null : Encoding.UTF8.GetString(keyIdText));
        if (keyId is null || envelope.Version != Version)
        {
            throw new TokenKeyException(keyId, $"Token {tokenKey} holds an encrypted value this version cannot read (envelope version or key id missing or unknown, key id '{keyId ?? "none"}'); upgrade TeslaDb or store a new token.");
        }

        if (Keyring.IsEmpty)
        {
            throw new TokenKeyException(keyId, $"Token {tokenKey} is encrypted under key id '{keyId}' and no token key is configured: set {TokenKeyring.EnvironmentVariable} with key '{keyId}' (docs/security.md).");
        }

        if (!Keyring.Contains(keyId))
        {
            throw new TokenKeyException(keyId, $"Token {tokenKey} is encrypted under key id '{keyId}', which is not in the keyring ({string.Join(", ", Keyring.Ids)}): add key '{keyId}' back to {TokenKeyring.EnvironmentVariable}, or have the owner log in again.");
        }

        Span<byte> associatedData = stackalloc byte[AssociatedDataStackBytes];
        Span<byte> nonce = stackalloc byte[NonceBytes + 2];
        Span<byte> tag = stackalloc byte[TagBytes + 2];
        if (envelope.Malformed || envelope.Escaped
            || !TryDecode(stored[envelope.Nonce], nonce, NonceBytes)
            || !TryDecode(stored[envelope.Tag], tag, TagBytes))
        {
            throw Damaged(tokenKey, keyId);
        }

        // One rented buffer: the ciphertext decoded from base64, then the plaintext beside it (zeroed before return).
        // The nonce and tag were decoded onto the stack above, the key id matched to the keyring's own string: nothing
        // else is allocated per read but what the token's parse keeps.
        var base64 = stored[envelope.Ciphertext];
        var maxCiphertext = Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(2 * maxCiphertext, 1));
        var length = 0;
        try
        {
            if (Base64.DecodeFromUtf8(base64, buffer.AsSpan(0, maxCiphertext), out _, out length) != OperationStatus.Done)
            {
                throw Damaged(tokenKey, keyId);
            }

            var plaintext = buffer.AsSpan(maxCiphertext, length);
            try
            {
                using var aes = _aes.Rent(keyId);
                aes.Aes.Decrypt(nonce[..NonceBytes], buffer.AsSpan(0, length), tag[..TagBytes], plaintext, AssociatedData(keyId, tokenKey, associatedData));
            }
            catch (CryptographicException)
            {
                throw new TokenKeyException(keyId, $"Token {tokenKey} does not decrypt under key id '{keyId}': that key is not the one that encrypted it, or the stored value was altered or copied from another row. Restore the right key '{keyId}' or have the owner log in again.");
            }

            return ReadPlaintext(plaintext, tokenKey, keyId);
        }
        finally
        {
            // Only the plaintext is secret; the ciphertext is what the database holds anyway.
            CryptographicOperations.ZeroMemory(buffer.AsSpan(maxCiphertext, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Exactly `bytes` bytes of base64 (the destination holds two more, so a longer value shows as one).
    private static bool TryDecode(ReadOnlySpan<byte> base64, Span<byte> destination, int bytes) =>
        Base64.GetMaxDecodedFromUtf8Length(base64.Length) <= destination.Length
        && Base64.DecodeFromUtf8(base64, destination, out _, out var written) == OperationStatus.Done
        && written == bytes;

    // Null when the value cannot be written back (a lone escaped surrogate, which jsonb would never have stored).
    private static byte[]? Unescaped(ReadOnlySpan<byte> stored)
    {
        var reader = new Utf8JsonReader(stored);
        using var document = JsonDocument.ParseValue(ref reader);
        var buffer = new ArrayBufferWriter<byte>(stored.Length);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            document.RootElement.WriteTo(writer);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return null;
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static TokenKeyException Damaged(string tokenKey, string keyId) =>
        new(keyId, $"Token {tokenKey} holds a damaged encrypted value under key id '{keyId}' (a field is missing, truncated or not base64); have the owner log in again.");

    // Version, key id and row key, so that neither the ciphertext nor its label can be moved.
    private static ReadOnlySpan<byte> AssociatedData(string keyId, string tokenKey, Span<byte> stack)
    {
        ReadOnlySpan<byte> prefix = AssociatedDataPrefix;
        var length = prefix.Length + Encoding.UTF8.GetByteCount(keyId) + 1 + Encoding.UTF8.GetByteCount(tokenKey);
        var data = length <= stack.Length ? stack[..length] : new byte[length];
        prefix.CopyTo(data);
        var at = prefix.Length + Encoding.UTF8.GetBytes(keyId, data[prefix.Length..]);
        data[at++] = (byte)'|';
        Encoding.UTF8.GetBytes(tokenKey, data[at..]);
        return data;
    }

    private static byte[] Plaintext(TokenSecrets secrets)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("token");
            secrets.Token.WriteTo(writer);
            if (secrets.PreviousRefreshToken is { } previous)
            {
                writer.WriteString("previous_refresh_token", previous);
            }

            if (secrets.RotatedAt is { } rotatedAt)
            {
                writer.WriteString("rotated_at", rotatedAt);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static TokenSecrets ReadPlaintext(ReadOnlySpan<byte> plaintext, string tokenKey, string keyId)
    {
        try
        {
            // {"token": {...}, "previous_refresh_token": "...", "rotated_at": "..."}: the token parsed straight into
            // a detached element, the rest read as they pass.
            var reader = new Utf8JsonReader(plaintext);
            JsonElement? token = null;
            string? previous = null;
            DateTimeOffset? rotatedAt = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException();
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("token"u8))
                {
                    reader.Read();
                    token = JsonElement.ParseValue(ref reader);
                }
                else if (reader.ValueTextEquals("previous_refresh_token"u8))
                {
                    reader.Read();
                    previous = reader.GetString();
                }
                else if (reader.ValueTextEquals("rotated_at"u8))
                {
                    reader.Read();
                    rotatedAt = reader.GetDateTimeOffset();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return new TokenSecrets(token ?? throw new JsonException(), previous, rotatedAt);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Authenticated but not ours: never show what it holds.
            throw Damaged(tokenKey, keyId);
        }
    }
}
