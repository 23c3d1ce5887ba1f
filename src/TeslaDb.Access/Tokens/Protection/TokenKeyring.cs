using System.Text.RegularExpressions;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// The AES-256 keys that protect tokens at rest, each under a short id that is stored beside every value it
/// encrypts. The first key encrypts; every key decrypts, so an old key stays readable until
/// <c>tesladb-migrate encrypt-tokens</c> has re-encrypted its rows and it can be removed. Written as
/// <c>id:base64key[,id:base64key…]</c> (TESLADB_TOKEN_KEYS); a key is 32 random bytes (<c>openssl rand -base64 32</c>).
/// </summary>
public sealed partial class TokenKeyring
{
    /// <summary>The environment variable a keyring is read from when the application does not give one.</summary>
    public const string EnvironmentVariable = "TESLADB_TOKEN_KEYS";

    private const int KeyBytes = 32;

    private readonly Dictionary<string, byte[]> _keys;

    private TokenKeyring(IReadOnlyList<(string Id, byte[] Key)> keys)
    {
        Ids = [.. keys.Select(k => k.Id)];
        _keys = keys.ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal);
    }

    /// <summary>No keys: everything that needs no token value works (expiry, presence, the console's token line).</summary>
    public static TokenKeyring Empty { get; } = new([]);

    /// <summary>The key ids, the encrypting one first.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The id of the key new values are encrypted with; null when the keyring is empty.</summary>
    public string? CurrentId => Ids.Count > 0 ? Ids[0] : null;

    /// <summary>True when no key is configured: plain rows still read, nothing can be stored or decrypted.</summary>
    public bool IsEmpty => Ids.Count == 0;

    /// <summary>Whether the keyring holds the key of that id.</summary>
    public bool Contains(string id) => _keys.ContainsKey(id);

    /// <summary>The id among <see cref="Ids"/> spelled by <paramref name="utf8"/>, or null: a read names its key
    /// without allocating a string per read (ids are ASCII).</summary>
    internal string? Find(ReadOnlySpan<byte> utf8)
    {
        foreach (var id in Ids)
        {
            if (System.Text.Ascii.Equals(utf8, id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Parses <c>id:base64key[,id:base64key…]</c>; null or blank gives the empty keyring.</summary>
    /// <exception cref="TokenKeyException">A malformed entry, a key that is not 32 bytes, or a repeated id. The
    /// message names the entry by its id or position, never the key.</exception>
    public static TokenKeyring Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var keys = new List<(string, byte[])>();
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var colon = entries[i].IndexOf(':', StringComparison.Ordinal);
            var id = colon > 0 ? entries[i][..colon] : string.Empty;
            if (!IdPattern().IsMatch(id))
            {
                throw new TokenKeyException(null, $"{EnvironmentVariable}: entry {i + 1} is not 'id:base64key' with an id of letters, digits, '.', '_' or '-' (at most 32). Generate a key with: openssl rand -base64 32");
            }

            byte[] key;
            try
            {
                key = Convert.FromBase64String(entries[i][(colon + 1)..]);
            }
            catch (FormatException)
            {
                throw new TokenKeyException(id, $"{EnvironmentVariable}: key '{id}' is not valid base64. Generate a key with: openssl rand -base64 32");
            }

            if (key.Length != KeyBytes)
            {
                throw new TokenKeyException(id, $"{EnvironmentVariable}: key '{id}' is {key.Length} bytes; AES-256 needs {KeyBytes}. Generate a key with: openssl rand -base64 32");
            }

            if (keys.Any(k => k.Item1 == id))
            {
                throw new TokenKeyException(id, $"{EnvironmentVariable}: key id '{id}' appears twice; every key needs its own id.");
            }

            keys.Add((id, key));
        }

        return new TokenKeyring(keys);
    }

    /// <summary>The keyring in TESLADB_TOKEN_KEYS, empty when it is not set.</summary>
    public static TokenKeyring FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>A new random key written as <c>id:base64key</c>, ready for TESLADB_TOKEN_KEYS.</summary>
    public static string GenerateEntry(string id)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException("A key id is 1 to 32 letters, digits, '.', '_' or '-'.", nameof(id));
        }

        return $"{id}:{Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyBytes))}";
    }

    internal byte[] Key(string id) => _keys[id];

    /// <summary>The ids only: a keyring never prints its keys.</summary>
    public override string ToString() => $"TokenKeyring [{string.Join(", ", Ids)}]";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex IdPattern();
}
