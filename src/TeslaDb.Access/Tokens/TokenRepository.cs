using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Tokens;

/// <summary>
/// OAuth tokens of Tesla accounts (seed operation 2). Keys are <c>user_token:{supabase_user_id}:{tesla_account_id}</c>;
/// the legacy forms <c>user_token:{tesla_account_id}</c> (the seed's Python sample) and
/// <c>user_token:{supabase_user_id}</c> are still read. Nothing here deletes a token because it expired.
/// Values are encrypted at rest (<see cref="TokenProtector"/>): stored under the database's current token key,
/// read under any key of its keyring; plain legacy rows are read as they are and encrypted by their next write.
/// </summary>
public sealed partial class TokenRepository(TeslaDbDatabase database)
{
    // token_data read as bytes: jsonb's binary form is a version byte and the UTF-8 text, which Npgsql hands over
    // as it came (no string in between), and the client reads it in one pass. convert_to(token_data::text, 'UTF8')
    // gave the same bytes at ~20 µs more per read on the server (an output function, an encoding check, a copy).
    private const string Columns = "t.key, t.token_data, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id, t.login_required_at";

    // Whether an access / refresh token is present, without reading it: an envelope says so in clear, a plain row
    // is looked into. The same expressions serve the console (no key) and the refresher's list.
    private const string HasAccessToken =
        "CASE WHEN t.token_data ? 'ct' THEN coalesce((t.token_data ->> 'has_access_token')::boolean, false) ELSE coalesce(t.token_data ->> 'access_token', '') <> '' END";

    private const string HasRefreshToken =
        "CASE WHEN t.token_data ? 'ct' THEN coalesce((t.token_data ->> 'has_refresh_token')::boolean, false) ELSE coalesce(t.token_data ->> 'refresh_token', '') <> '' END";

    private const string KeyForAccountSql = "SELECT 'user_token:' || a.supabase_user_id || ':' || a.id FROM public.tesla_accounts a WHERE a.id = @account_id";

    // The envelope is sealed in C# for a known key (the key is its associated data), so the account's key is
    // read first; the INSERT checks it again against the account. Expiry is copied into the envelope in clear.
    private const string StoreSql = """
        INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id)
        SELECT @key, @token_data || jsonb_build_object('expires_at', now() + @ttl), now() + @ttl, a.id
          FROM public.tesla_accounts a
         WHERE a.id = @account_id
           AND 'user_token:' || a.supabase_user_id || ':' || a.id = @key
        ON CONFLICT (key) DO UPDATE SET
            token_data = EXCLUDED.token_data,
            expires_at = EXCLUDED.expires_at,
            tesla_account_id = EXCLUDED.tesla_account_id,
            login_required_at = NULL
        RETURNING key
        """;

    // An account's token: under the current key first, then the sample's per-account key, then the per-user key of
    // before accounts existed. Shared by the read (with the values) and the operator's summary (without them).
    private const string AccountTokenLookup = """
          FROM public.tesla_accounts a
          JOIN public.tokens t ON t.key IN ('user_token:' || a.supabase_user_id || ':' || a.id, 'user_token:' || a.id, 'user_token:' || a.supabase_user_id)
         WHERE a.id = @account_id
         ORDER BY CASE t.key WHEN 'user_token:' || a.supabase_user_id || ':' || a.id THEN 0 WHEN 'user_token:' || a.id THEN 1 ELSE 2 END
         LIMIT 1
        """;

    private const string GetForAccountSql = $"""
        SELECT {Columns}
        {AccountTokenLookup}
        """;

    private const string DescribeForAccountSql = $"""
        SELECT t.key, t.tesla_account_id, t.expires_at, coalesce(t.expires_at <= now(), false),
               {HasAccessToken}, {HasRefreshToken}, t.updated_at,
               CASE WHEN t.token_data ? 'ct' THEN t.token_data ->> 'kid' END, t.login_required_at
        {AccountTokenLookup}
        """;

    private const string ExpiringSql = $"""
        SELECT t.key, t.tesla_account_id, t.expires_at, {HasRefreshToken}, t.login_required_at
          FROM public.tokens t
         WHERE t.expires_at <= now() + @within
         ORDER BY t.expires_at, t.key
        """;

    /// <summary>Stores (or replaces) the token of an account, encrypted under the current token key, expiring after
    /// <paramref name="ttl"/> by the database clock (seed operation 2). Clears a login-required mark. Returns its key.</summary>
    /// <exception cref="ArgumentException">No such account, a non-positive TTL, or a payload that is not a JSON object.</exception>
    /// <exception cref="TokenKeyException">No token key is configured.</exception>
    public async Task<string> StoreAsync(Guid accountId, JsonElement tokenData, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        try
        {
            return await StoreCoreAsync(accountId, tokenData, ttl, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task<string> StoreCoreAsync(Guid accountId, JsonElement tokenData, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (tokenData.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The token must be a JSON object (the OAuth token response), not {tokenData.ValueKind}.", nameof(tokenData));
        }

        TeslaDbValidation.Ttl(ttl);
        var key = await KeyForAccountAsync(accountId, cancellationToken);
        var envelope = database.TokenProtector.Seal(key, new TokenSecrets(tokenData));
        await using var command = database.Command("Tokens.Store", StoreSql);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        command.Parameters.Add(new NpgsqlParameter("token_data", NpgsqlDbType.Jsonb) { Value = envelope });
        command.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = ttl });
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? throw NoAccount(accountId);
    }

    /// <summary>The token of an account, under the current key or a legacy one, decrypted; null when there is none.</summary>
    /// <exception cref="TokenKeyException">The row is encrypted under a key id the keyring lacks, or does not decrypt.</exception>
    public Task<TeslaToken?> GetForAccountAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Tokens.GetForAccount", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var command = database.Command("Tokens.GetForAccount", GetForAccountSql, connection);
            command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(reader) : null;
        }, cancellationToken);

    /// <summary>What an operator may see of an account's token (current or legacy key): key, expiry, whether an
    /// access and a refresh token are present, the key id, a login-required mark. Needs no key; the values
    /// themselves are never read out of the database.</summary>
    public Task<TokenSummary?> DescribeForAccountAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Tokens.DescribeForAccount", ReadFrom.Primary, (connection, ct) => DescribeForAccountAsync(accountId, connection, ct), cancellationToken);

    private async Task<TokenSummary?> DescribeForAccountAsync(Guid accountId, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Tokens.DescribeForAccount", DescribeForAccountSql, connection);
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TokenSummary(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6))
            {
                KeyId = reader.IsDBNull(7) ? null : reader.GetString(7),
                LoginRequiredAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            }
            : null;
    }

    /// <summary>Tokens whose access token expires within <paramref name="within"/> (or already has), soonest first:
    /// what a refresher works through (<see cref="RefreshExpiringAsync"/> does). No secrets in the result.</summary>
    public Task<IReadOnlyList<TokenExpiry>> ListExpiringAsync(TimeSpan within, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Tokens.ListExpiring", ReadFrom.Primary, (connection, ct) => ListExpiringAsync(within, connection, ct), cancellationToken);

    private async Task<IReadOnlyList<TokenExpiry>> ListExpiringAsync(TimeSpan within, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Tokens.ListExpiring", ExpiringSql, connection);
        command.Parameters.Add(new NpgsqlParameter("within", NpgsqlDbType.Interval) { Value = within });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<TokenExpiry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TokenExpiry(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetBoolean(3))
            {
                LoginRequiredAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            });
        }

        return list;
    }

    /// <summary>Deletes the tokens linked to an account (and its current-form key); returns how many went.
    /// A legacy per-user key is left alone: the user's other accounts may still rely on it.</summary>
    public async Task<int> DeleteForAccountAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            "Tokens.DeleteForAccount",
            "DELETE FROM public.tokens WHERE tesla_account_id = @account_id OR key = 'user_token:' || @account_id::text");
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes one token by key; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var command = database.Command("Tokens.Delete", "DELETE FROM public.tokens WHERE key = @key");
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<string> KeyForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Tokens.KeyForAccount", KeyForAccountSql);
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? throw NoAccount(accountId);
    }

    private static ArgumentException NoAccount(Guid accountId) =>
        new($"No Tesla account {accountId}: create the account before storing its token.", nameof(accountId));

    /// <summary>A row read with <see cref="Columns"/>, decrypted.</summary>
    private TeslaToken Read(NpgsqlDataReader reader)
    {
        var key = reader.GetString(0);
        var secrets = database.TokenProtector.Open(key, reader.GetFieldValue<byte[]>(1), out var keyId);
        return new TeslaToken(
            key,
            reader.IsDBNull(5) ? null : reader.GetGuid(5),
            secrets.Token,
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            keyId,
            secrets.PreviousRefreshToken,
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
    }
}
