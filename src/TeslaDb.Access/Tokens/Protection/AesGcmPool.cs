using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TeslaDb.Access.Tokens.Protection;

/// <summary>
/// Ready <see cref="AesGcm"/> instances per key id of one keyring. Building one imports the key into the platform's
/// cipher context (OpenSSL on Linux) on every call, a measurable share of a token read; an instance is not safe to
/// use from two threads at once, so each caller rents one for the duration of one operation and gives it back.
/// At most as many instances per key as threads ever used it at once; they live as long as the keyring's database.
/// </summary>
internal sealed class AesGcmPool(TokenKeyring keyring, int tagBytes)
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<AesGcm>> _idle = new(StringComparer.Ordinal);

    public Lease Rent(string keyId)
    {
        var bag = _idle.GetOrAdd(keyId, static _ => []);
        return new Lease(bag, bag.TryTake(out var aes) ? aes : new AesGcm(keyring.Key(keyId), tagBytes));
    }

    /// <summary>One instance, returned to its pool by <see cref="Dispose"/>. A failed decryption (wrong key, tampered
    /// value) leaves it reusable: each Encrypt/Decrypt call sets up its own nonce and state.</summary>
    public readonly struct Lease(ConcurrentBag<AesGcm> bag, AesGcm aes) : IDisposable
    {
        public AesGcm Aes { get; } = aes;

        public void Dispose() => bag.Add(Aes);
    }
}
