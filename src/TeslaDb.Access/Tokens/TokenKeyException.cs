namespace TeslaDb.Access.Tokens;

/// <summary>
/// A token value cannot be encrypted or decrypted: no keyring, a key id missing from it, a value that does not
/// authenticate (wrong key, tampered, truncated, or copied from another row), or a malformed keyring. The message
/// names the key id and the token's key, never a key, a ciphertext or a token value.
/// </summary>
public sealed class TokenKeyException(string? keyId, string message) : Exception(message)
{
    /// <summary>The key id concerned, when there is one.</summary>
    public string? KeyId { get; } = keyId;
}
