using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Tokens.Protection;

namespace TeslaDb.Access.Tokens;

/// <summary>What a re-encryption pass did.</summary>
/// <param name="Rewritten">Rows encrypted (they were plain) or re-encrypted (they were under another key id).</param>
/// <param name="Current">Rows under the current key at the end.</param>
/// <param name="Busy">Rows still plain or under an old key because a refresher held them during the pass: run again.</param>
public sealed record TokenReencryptionResult(string KeyId, int Rewritten, long Current, long Busy);

/// <summary>
/// Brings every token row under the current key: plain rows (the seed's INSERT, legacy data) are encrypted, rows
/// under an older key id re-encrypted (rotation; afterwards the old key can be removed). Online: batches in short
/// transactions that lock their rows <c>FOR UPDATE SKIP LOCKED</c>, so apps and refreshers are never waited on and
/// never wait long. Idempotent and resumable: a row already under the current key is not touched, and an interrupted
/// pass leaves every committed batch done.
/// </summary>
public sealed class TokenReencryption(TeslaDbDatabase database)
{
    private const string BatchSql = """
        SELECT t.key, t.token_data::text
          FROM public.tokens t
         WHERE t.key > @after
           AND (NOT (t.token_data ? 'ct') OR t.token_data ->> 'kid' IS DISTINCT FROM @kid)
         ORDER BY t.key
         LIMIT @limit
           FOR UPDATE SKIP LOCKED
        """;

    private const string RewriteSql = """
        UPDATE public.tokens t
           SET token_data = v.data::jsonb || jsonb_build_object('expires_at', t.expires_at)
          FROM unnest(@keys, @data) AS v(key, data)
         WHERE t.key = v.key
        """;

    private const string CountSql = """
        SELECT count(*) FILTER (WHERE t.token_data ? 'ct' AND t.token_data ->> 'kid' = @kid),
               count(*) FILTER (WHERE NOT (t.token_data ? 'ct') OR t.token_data ->> 'kid' IS DISTINCT FROM @kid)
          FROM public.tokens t
        """;

    /// <summary>Runs the pass; <paramref name="progress"/> is told the running count after each batch.</summary>
    /// <exception cref="TokenKeyException">No key configured, or a row under a key id missing from the keyring or
    /// that does not decrypt (its batch is rolled back; earlier batches stay done).</exception>
    public async Task<TokenReencryptionResult> RunAsync(int batchSize = 500, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var protector = database.TokenProtector;
        var keyId = protector.Keyring.CurrentId ?? throw new TokenKeyException(null,
            $"No token key is configured: set {TokenKeyring.EnvironmentVariable} (id:base64key[,…]; the first key encrypts).");
        var after = string.Empty;
        var rewritten = 0;
        while (true)
        {
            var (count, last) = await BatchAsync(protector, keyId, after, batchSize, cancellationToken);
            if (last is null)
            {
                break;
            }

            rewritten += count;
            after = last;
            progress?.Report(rewritten);
        }

        await using var command = database.Command("Tokens.ReencryptCount", CountSql);
        command.Parameters.Add(new NpgsqlParameter("kid", NpgsqlDbType.Text) { Value = keyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TokenReencryptionResult(keyId, rewritten, reader.GetInt64(0), reader.GetInt64(1));
    }

    // One short transaction: lock up to a batch of rows not under the current key (skipping rows a refresher
    // holds), rewrite them in one statement, commit. Returns how many and the last key seen (null: none left).
    private async Task<(int Count, string? Last)> BatchAsync(TokenProtector protector, string keyId, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var keys = new List<string>();
        var data = new List<string>();
        database.Observe("Tokens.ReencryptBatch", BatchSql);
        await using (var select = new NpgsqlCommand(BatchSql, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = after });
            select.Parameters.Add(new NpgsqlParameter("kid", NpgsqlDbType.Text) { Value = keyId });
            select.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetString(0);
                using var stored = JsonDocument.Parse(reader.GetString(1));
                keys.Add(key);
                data.Add(protector.Seal(key, protector.Open(key, stored.RootElement)));
            }
        }

        if (keys.Count == 0)
        {
            return (0, null);
        }

        database.Observe("Tokens.ReencryptRewrite", RewriteSql);
        await using (var update = new NpgsqlCommand(RewriteSql, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.ToArray() });
            update.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = data.ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (keys.Count, keys[^1]);
    }
}
