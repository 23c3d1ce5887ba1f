using System.Globalization;
using System.Text;
using System.Text.Json;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>
/// Tokens: an encrypted token read against the same token stored plain (one repository, one query: the only
/// difference is AES-GCM and the envelope), the seal/open cost alone, and the refresh path with 20 concurrent
/// callers (one delegate call, everyone else waiting on the row lock) against 20 concurrent reads of a fresh token.
/// </summary>
internal static class TokenBench
{
    private const int Reads = 20;
    private const int Callers = 20;

    public static async Task<string> RunAsync(BenchOptions options)
    {
        await using var db = await options.CreateDatabaseAsync("tokens");
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync();
        var keyring = TokenKeyring.Parse(TokenKeyring.GenerateEntry("bench"));
        await using var access = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: keyring);
        var accounts = new TeslaAccountRepository(access);
        var tokens = new TokenRepository(access);
        // Shaped like Tesla's answer: a ~1.2 KB JWT access token. Random bytes, not zeros: a real token barely
        // compresses, and a zero-filled one would let PostgreSQL keep the plain row compressed in line while the
        // (incompressible) envelope goes to TOAST, flattering the plain anchor.
        string Jwt() => "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(850)) + "." + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(256));
        var jwt = Jwt();
        var idToken = Jwt();
        var token = JsonDocument.Parse($$"""{"access_token": "{{jwt}}", "refresh_token": "EU_{{Guid.NewGuid():N}}", "id_token": "{{idToken}}", "expires_in": 28800, "token_type": "Bearer", "scope": "openid offline_access vehicle_device_data"}""").RootElement;
        var encrypted = await accounts.CreateAsync(Guid.NewGuid(), "Encrypted");
        await tokens.StoreAsync(encrypted.Id, token, TimeSpan.FromHours(8));
        var plain = await accounts.CreateAsync(Guid.NewGuid(), "Plain");
        await using (var insert = access.DataSource.CreateCommand(
            "INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id) VALUES ('user_token:' || $1::text || ':' || $2::text, $3::jsonb, now() + interval '8 hours', $2)"))
        {
            insert.Parameters.AddWithValue(plain.SupabaseUserId);
            insert.Parameters.AddWithValue(plain.Id);
            insert.Parameters.AddWithValue(token.GetRawText());
            await insert.ExecuteNonQueryAsync();
        }

        var rounds = (options.Quick ? 5 : 30) * 2;
        var text = new StringBuilder();
        // Short samples (20 reads), paired: the load of a shared machine swings within seconds. The raw rows are the
        // same query's row without decrypting or parsing anything: what the database and the wire cost for each.
        var pairs = options.Quick ? 50 : 600;
        var reads = await Measure.PairedAsync(
            warmups: 3,
            pairs,
            ("`GetForAccountAsync`, plain row", () => ReadAsync(tokens, plain.Id, null)),
            ("`GetForAccountAsync`, encrypted row", () => ReadAsync(tokens, encrypted.Id, "bench")),
            ("raw Npgsql, plain row's bytes only (no JSON parse)", () => RawAsync(access, plain.Id)),
            ("raw Npgsql, encrypted row's bytes only (no decrypt, no parse)", () => RawAsync(access, encrypted.Id)));
        text.AppendLine(CultureInfo.InvariantCulture, $"### Token read, per read, {reads[0].Result.Samples} paired samples of {Reads} reads{options.QuickNote}");
        text.AppendLine();
        text.AppendLine("| variant | median µs/read | p95 µs/read | ratio to plain (median of paired ratios) |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (r, ratio) in reads)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs * 1000 / Reads)} | {Measure.Ms(r.P95Ms * 1000 / Reads)} | {Measure.Ratio(ratio)} |");
        }

        // The crypto alone, without the database: what the ratio above is made of.
        var protector = new TokenProtector(keyring);
        var key = $"user_token:{encrypted.SupabaseUserId}:{encrypted.Id}";
        var envelope = protector.Seal(key, new TokenSecrets(token));
        // As a read gets it: the text jsonb prints (no JSON escapes in the base64), not the writer's escaped form.
        byte[] stored;
        await using (var select = access.DataSource.CreateCommand("SELECT $1::jsonb"))
        {
            select.Parameters.AddWithValue(envelope);
            await using var reader = await select.ExecuteReaderAsync();
            await reader.ReadAsync();
            stored = reader.GetFieldValue<byte[]>(0);
        }

        var plainStored = Encoding.UTF8.GetBytes(token.GetRawText());
        var crypto = await Measure.InterleavedAsync(
            warmups: 3,
            rounds,
            ("seal (AES-256-GCM encrypt + envelope)", () => { for (var i = 0; i < Reads * 10; i++) { protector.Seal(key, new TokenSecrets(token)); } return Task.CompletedTask; }),
            ("open (envelope + AES-256-GCM decrypt + token parse)", () => { for (var i = 0; i < Reads * 10; i++) { protector.Open(key, stored, out _); } return Task.CompletedTask; }),
            ("a plain row instead: token parse only", () => { for (var i = 0; i < Reads * 10; i++) { protector.Open(key, plainStored, out _); } return Task.CompletedTask; }));
        text.AppendLine();
        text.AppendLine("| in memory | median µs/op | p95 µs/op |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach (var r in crypto)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs * 100 / Reads)} | {Measure.Ms(r.P95Ms * 100 / Reads)} |");
        }

        // Refresh: 20 callers at once on a token inside the skew (one Tesla call, instant here, and 19 waiters) against
        // 20 callers at once on a fresh token (no lock, no call).
        var calls = 0;
        TokenRefreshCallback tesla = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(token);
        };
        var refreshRounds = options.Quick ? 5 : 30;
        var refresh = await Measure.InterleavedAsync(
            warmups: 2,
            refreshRounds,
            ("20 concurrent GetValidAccessTokenAsync, fresh token", () => CallersAsync(tokens, encrypted.Id, tesla)),
            ("20 concurrent GetValidAccessTokenAsync, token due: 1 refresh + 19 waiters", async () =>
            {
                var before = calls;
                await tokens.StoreAsync(encrypted.Id, token, TimeSpan.FromSeconds(30)); // due again (inside the 60 s skew)
                await CallersAsync(tokens, encrypted.Id, tesla);
                if (calls != before + 1)
                {
                    throw new InvalidOperationException($"expected one refresh, got {calls - before}");
                }
            }));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Refresh path, {Callers} concurrent callers (delegate answers at once), {refresh[0].Samples} interleaved samples{options.QuickNote}");
        text.AppendLine();
        text.AppendLine("| variant | median ms/round | p95 ms/round | ratio to fresh |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var r in refresh)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs)} | {Measure.Ms(r.P95Ms)} | {Measure.Ratio(r.MedianMs / refresh[0].MedianMs)} |");
        }

        // The due variant's round also stores the token once; that store is part of its figure.
        text.AppendLine();
        return text.ToString();
    }

    private static async Task ReadAsync(TokenRepository tokens, Guid account, string? keyId)
    {
        for (var i = 0; i < Reads; i++)
        {
            var read = await tokens.GetForAccountAsync(account);
            if (read?.AccessToken is null || read.KeyId != keyId)
            {
                throw new InvalidOperationException("token not read back as stored");
            }
        }
    }

    // The repository's query (GetForAccountSql) for the row's stored bytes, nothing done with them.
    private static async Task RawAsync(TeslaDbDatabase access, Guid account)
    {
        for (var i = 0; i < Reads; i++)
        {
            await using var command = access.DataSource.CreateCommand("""
                SELECT t.key, t.token_data, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id, t.login_required_at
                  FROM public.tesla_accounts a
                  JOIN public.tokens t ON t.key IN ('user_token:' || a.supabase_user_id || ':' || a.id, 'user_token:' || a.id, 'user_token:' || a.supabase_user_id)
                 WHERE a.id = $1
                 ORDER BY CASE t.key WHEN 'user_token:' || a.supabase_user_id || ':' || a.id THEN 0 WHEN 'user_token:' || a.id THEN 1 ELSE 2 END
                 LIMIT 1
                """);
            command.Parameters.AddWithValue(account);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync() || reader.GetFieldValue<byte[]>(1).Length == 0)
            {
                throw new InvalidOperationException("token row not read");
            }
        }
    }

    private static async Task CallersAsync(TokenRepository tokens, Guid account, TokenRefreshCallback tesla) =>
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(() => tokens.GetValidAccessTokenAsync(account, tesla))));
}
