using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Tokens.Protection;

namespace TeslaDb.Access.Tokens;

// Refresh exactly once across processes. Tesla's refresh tokens are single-use: two processes refreshing one
// account at once log its owner out. So a refresh runs in one transaction that holds the token row FOR UPDATE,
// checks again whether it is still needed (another process may have just refreshed), calls Tesla only then, and
// stores the rotated pair before it commits. Everyone else waits on the row lock and then finds the new token.
public sealed partial class TokenRepository
{
    /// <summary>How early before expiry a token is refreshed (Tesla advises within a minute of expiry).</summary>
    public static readonly TimeSpan DefaultSkew = TimeSpan.FromSeconds(60);

    /// <summary>How long a caller waits for another refresher's lock (it spans that refresher's call to Tesla).</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(28800);

    private const string FreshColumn = "coalesce(t.expires_at > now() + @skew, false)";

    private const string GetValidSql = $"""
        SELECT {Columns}, {FreshColumn}
        {AccountTokenLookup}
        """;

    private const string LockSql = $"""
        SELECT {Columns}, {FreshColumn}
          FROM public.tokens t
         WHERE t.key = @key
           FOR UPDATE
        """;

    private const string SetLockTimeoutSql = "SELECT set_config('lock_timeout', @lock_timeout, true)";

    private const string StoreRefreshedSql = $"""
        UPDATE public.tokens t SET
            token_data = @token_data || jsonb_build_object('expires_at', now() + @ttl),
            expires_at = now() + @ttl,
            login_required_at = NULL
         WHERE t.key = @key
        RETURNING {Columns}
        """;

    private const string MarkLoginRequiredSql = "UPDATE public.tokens SET login_required_at = now() WHERE key = @key RETURNING login_required_at";

    /// <summary>
    /// A valid access token for the account: the stored one while it expires later than <paramref name="skew"/>
    /// from now (database clock), else refreshed through <paramref name="refresh"/> under the token row's lock, so
    /// that however many callers, in however many processes, ask at once, Tesla is called once and all get the new
    /// token. The delegate failing leaves the stored token as it was.
    /// </summary>
    /// <exception cref="TokenReauthenticationRequiredException">No token, no refresh token, or Tesla answered login_required (now or before).</exception>
    /// <exception cref="TokenRefreshTimeoutException">Another refresher held the lock past <paramref name="lockTimeout"/>.</exception>
    /// <exception cref="TokenKeyException">The token cannot be decrypted or no key is configured.</exception>
    public async Task<string> GetValidAccessTokenAsync(
        Guid accountId, TokenRefreshCallback refresh, TimeSpan? skew = null, TimeSpan? lockTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        var margin = skew ?? DefaultSkew;
        // A plain read, retried on a transient fault like every other (a restart's dead pooled connection): it
        // decides nothing, the lock below does.
        var (stored, fresh) = await database.ReadAsync("Tokens.GetValid", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var command = database.Command("Tokens.GetValid", GetValidSql, connection);
            command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
            command.Parameters.Add(new NpgsqlParameter("skew", NpgsqlDbType.Interval) { Value = margin });
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? (Read(reader), reader.GetBoolean(7)) : ((TeslaToken?)null, false);
        }, cancellationToken);
        if (stored is null)
        {
            throw new TokenReauthenticationRequiredException(string.Empty, null, $"Tesla account {accountId} has no token: its owner must log in.");
        }

        ThrowIfLoginRequired(stored);
        if (fresh && !string.IsNullOrEmpty(stored.AccessToken))
        {
            return stored.AccessToken;
        }

        // The read's connection is back in the pool before this one waits for the lock.
        var token = await RefreshUnderLockAsync(stored.Key, margin, lockTimeout ?? DefaultLockTimeout, refresh, cancellationToken);
        return token.Token.AccessToken!;
    }

    /// <summary>
    /// One pass of a background refresher: every token expiring within <paramref name="within"/> that has a
    /// refresh token and no login-required mark is refreshed once, under the same lock as
    /// <see cref="GetValidAccessTokenAsync"/>. Safe on several instances at once: an instance that finds a token
    /// already refreshed by another skips it. One token failing does not stop the others.
    /// </summary>
    public async Task<TokenRefreshReport> RefreshExpiringAsync(
        TimeSpan within, TokenRefreshCallback refresh, TimeSpan? lockTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        int refreshed = 0, fresh = 0, loginRequired = 0;
        var failed = new List<string>();
        foreach (var due in await ListExpiringAsync(within, cancellationToken))
        {
            if (!due.HasRefreshToken || due.LoginRequiredAt is not null)
            {
                continue;
            }

            try
            {
                var outcome = await RefreshUnderLockAsync(due.Key, within, lockTimeout ?? DefaultLockTimeout, refresh, cancellationToken);
                if (outcome.Refreshed)
                {
                    refreshed++;
                }
                else
                {
                    fresh++;
                }
            }
            catch (TokenReauthenticationRequiredException)
            {
                loginRequired++;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The delegate's or the key's failure; the token stays as it was and the next pass tries again.
                failed.Add(due.Key);
            }
        }

        return new TokenRefreshReport(refreshed, fresh, loginRequired, failed);
    }

    // On the primary, always: the FOR UPDATE lock decides who refreshes. Not replayed when the server goes away (the
    // delegate may have rotated the refresh token at Tesla); the next call refreshes again.
    private async Task<(TeslaToken Token, bool Refreshed)> RefreshUnderLockAsync(
        string key, TimeSpan skew, TimeSpan lockTimeout, TokenRefreshCallback refresh, CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshUnderLockCoreAsync(key, skew, lockTimeout, refresh, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task<(TeslaToken Token, bool Refreshed)> RefreshUnderLockCoreAsync(
        string key, TimeSpan skew, TimeSpan lockTimeout, TokenRefreshCallback refresh, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        // Disposed without a commit (the delegate threw, the connection died): rolled back, the old token stays.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var bound = Command(connection, transaction, "Tokens.RefreshLockTimeout", SetLockTimeoutSql))
        {
            bound.Parameters.Add(new NpgsqlParameter("lock_timeout", NpgsqlDbType.Text) { Value = $"{Math.Max(1, (long)lockTimeout.TotalMilliseconds)}ms" });
            await bound.ExecuteNonQueryAsync(cancellationToken);
        }

        TeslaToken current;
        bool fresh;
        try
        {
            await using var command = Command(connection, transaction, "Tokens.RefreshLock", LockSql);
            command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
            command.Parameters.Add(new NpgsqlParameter("skew", NpgsqlDbType.Interval) { Value = skew });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new TokenReauthenticationRequiredException(key, null, $"Token {key} was deleted: its owner must log in again.");
            }

            current = Read(reader);
            fresh = reader.GetBoolean(7);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new TokenRefreshTimeoutException(
                $"Waited {lockTimeout.TotalSeconds:0.#} s for token {key}: another process held it (refreshing it) all that time. Try again.", e);
        }

        ThrowIfLoginRequired(current);
        if (fresh && !string.IsNullOrEmpty(current.AccessToken))
        {
            // Someone refreshed it while this caller waited for the lock.
            await transaction.CommitAsync(cancellationToken);
            return (current, false);
        }

        var oldRefresh = current.RefreshToken;
        if (string.IsNullOrEmpty(oldRefresh))
        {
            throw new TokenReauthenticationRequiredException(key, null, $"Token {key} has no refresh token: its owner must log in again.");
        }

        JsonElement answer;
        try
        {
            answer = await refresh(new TokenRefreshRequest(key, current.TeslaAccountId, oldRefresh), cancellationToken);
        }
        catch (TeslaLoginRequiredException)
        {
            await using var mark = Command(connection, transaction, "Tokens.MarkLoginRequired", MarkLoginRequiredSql);
            mark.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
            var at = (DateTime)(await mark.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            throw new TokenReauthenticationRequiredException(key, new DateTimeOffset(at, TimeSpan.Zero),
                $"Tesla answered login_required for token {key}: its owner must log in again; refreshes stop until a new token is stored.");
        }

        var rotated = Rotated(key, answer, oldRefresh, out var ttl);
        var envelope = database.TokenProtector.Seal(key, new TokenSecrets(rotated, oldRefresh, DateTimeOffset.UtcNow));
        TeslaToken stored;
        await using (var update = Command(connection, transaction, "Tokens.StoreRefreshed", StoreRefreshedSql))
        {
            update.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
            update.Parameters.Add(new NpgsqlParameter("token_data", NpgsqlDbType.Jsonb) { Value = envelope });
            update.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = ttl });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            stored = Read(reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return (stored, true);
    }

    // Tesla's answer, checked; when it carries no refresh token (no rotation) the old one is kept in it.
    private static JsonElement Rotated(string key, JsonElement answer, string oldRefresh, out TimeSpan ttl)
    {
        if (answer.ValueKind != JsonValueKind.Object
            || !answer.TryGetProperty("access_token", out var access) || access.ValueKind != JsonValueKind.String || access.GetString() is not { Length: > 0 })
        {
            throw new InvalidOperationException($"The refresh of token {key} returned no access_token; the stored token was kept.");
        }

        ttl = answer.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTtl;
        if (answer.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String && refresh.GetString() is { Length: > 0 })
        {
            return answer;
        }

        var node = JsonNode.Parse(answer.GetRawText())!.AsObject();
        node["refresh_token"] = oldRefresh;
        return Json.Parse(node.ToJsonString());
    }

    private static void ThrowIfLoginRequired(TeslaToken token)
    {
        if (token.LoginRequiredAt is { } at)
        {
            throw new TokenReauthenticationRequiredException(token.Key, at,
                $"Token {token.Key} needs a new login (Tesla answered login_required at {at:u}); store a new token to resume refreshes.");
        }
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string operation, string sql)
    {
        database.Observe(operation, sql);
        return new NpgsqlCommand(sql, connection, transaction);
    }
}
