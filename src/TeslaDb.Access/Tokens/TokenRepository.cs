using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Tokens;

/// <summary>
/// OAuth tokens of Tesla accounts (seed operation 2). Keys are <c>user_token:{supabase_user_id}:{tesla_account_id}</c>;
/// the legacy forms <c>user_token:{tesla_account_id}</c> (the seed's Python sample) and
/// <c>user_token:{supabase_user_id}</c> are still read. Nothing here deletes a token because it expired.
/// </summary>
public sealed class TokenRepository(TeslaDbDatabase database)
{
    private const string Columns = "t.key, t.token_data::text, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id";

    private const string StoreSql = """
        INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id)
        SELECT 'user_token:' || a.supabase_user_id || ':' || a.id, @token_data, now() + @ttl, a.id
          FROM public.tesla_accounts a
         WHERE a.id = @account_id
        ON CONFLICT (key) DO UPDATE SET
            token_data = EXCLUDED.token_data,
            expires_at = EXCLUDED.expires_at,
            tesla_account_id = EXCLUDED.tesla_account_id
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
               coalesce(t.token_data ->> 'access_token', '') <> '', coalesce(t.token_data ->> 'refresh_token', '') <> '', t.updated_at
        {AccountTokenLookup}
        """;

    private const string ExpiringSql = """
        SELECT key, tesla_account_id, expires_at, coalesce(token_data ->> 'refresh_token', '') <> ''
          FROM public.tokens
         WHERE expires_at <= now() + @within
         ORDER BY expires_at, key
        """;

    /// <summary>Stores (or replaces) the token of an account, expiring after <paramref name="ttl"/> by the
    /// database clock (seed operation 2). Returns its key.</summary>
    /// <exception cref="ArgumentException">No such account, a non-positive TTL, or a payload that is not a JSON object.</exception>
    public async Task<string> StoreAsync(Guid accountId, JsonElement tokenData, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (tokenData.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The token must be a JSON object (the OAuth token response), not {tokenData.ValueKind}.", nameof(tokenData));
        }

        TeslaDbValidation.Ttl(ttl);
        await using var command = database.Command("Tokens.Store", StoreSql);
        command.Parameters.Add(new NpgsqlParameter("token_data", NpgsqlDbType.Jsonb) { Value = tokenData.GetRawText() });
        command.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = ttl });
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        return await command.ExecuteScalarAsync(cancellationToken) as string
               ?? throw new ArgumentException($"No Tesla account {accountId}: create the account before storing its token.", nameof(accountId));
    }

    /// <summary>The token of an account, under the current key or a legacy one; null when there is none.</summary>
    public async Task<TeslaToken?> GetForAccountAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("Tokens.GetForAccount", GetForAccountSql);
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>What an operator may see of an account's token (current or legacy key): key, expiry, and whether an
    /// access and a refresh token are present. The values themselves are never read out of the database.</summary>
    public async Task<TokenSummary?> DescribeForAccountAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("Tokens.DescribeForAccount", DescribeForAccountSql);
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TokenSummary(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    /// <summary>Tokens whose access token expires within <paramref name="within"/> (or already has), soonest first:
    /// what a refresher works through. Refresh tokens are single-use: refresh and store under a lock.</summary>
    public async Task<IReadOnlyList<TokenExpiry>> ListExpiringAsync(TimeSpan within, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("Tokens.ListExpiring", ExpiringSql);
        command.Parameters.Add(new NpgsqlParameter("within", NpgsqlDbType.Interval) { Value = within });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<TokenExpiry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TokenExpiry(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetBoolean(3)));
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

    private static TeslaToken Read(NpgsqlDataReader reader)
    {
        using var json = JsonDocument.Parse(reader.GetString(1));
        return new TeslaToken(
            reader.GetString(0),
            reader.IsDBNull(5) ? null : reader.GetGuid(5),
            json.RootElement.Clone(),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetFieldValue<DateTimeOffset>(4));
    }
}
