using System.Text.Json;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>tesladb-migrate encrypt-tokens and generate-token-key: plain rows encrypted, old-key rows re-encrypted,
/// idempotent, in batches with progress; exit 2 without keys, exit 13 for a key id missing from the keyring.</summary>
public sealed class EncryptTokensTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plain_and_old_key_rows_end_under_the_first_key_in_batches_then_a_second_run_rewrites_nothing()
    {
        await using var db = await MigratedAsync();
        var oldEntry = TokenKeyring.GenerateEntry("old");
        var newEntry = TokenKeyring.GenerateEntry("new");
        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // The seed's INSERT: plain JSON.
            values.Add($"SECRET-PLAIN-{i}");
            await db.ExecuteAsync("INSERT INTO tokens (key, token_data, expires_at) VALUES (@k, jsonb_build_object('access_token', @v::text, 'refresh_token', @v::text || '-r'), now() + interval '1 hour')",
                ("k", $"user_token:plain-{i}"), ("v", values[^1]));
        }

        await using (var oldApp = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: TokenKeyring.Parse(oldEntry)))
        {
            for (var i = 0; i < 2; i++)
            {
                var account = await new TeslaAccountRepository(oldApp).CreateAsync(Guid.NewGuid(), $"Old {i}", cancellationToken: Ct);
                values.Add($"SECRET-OLD-{i}");
                await new TokenRepository(oldApp).StoreAsync(account.Id, Token(values[^1]), TimeSpan.FromHours(1), Ct);
            }
        }

        var env = Env(db, $"{newEntry},{oldEntry}");
        var run = await CliRun.InProcessAsync(["encrypt-tokens", "--batch-size", "2"], env);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("5 token row(s) encrypted or re-encrypted under key 'new'; 5 row(s) under it now.", run.Out, StringComparison.Ordinal);
        Assert.Contains("keys other than 'new' can be removed", run.Out, StringComparison.Ordinal);
        Assert.Contains("encrypt-tokens: 2 row(s) rewritten so far", run.Error, StringComparison.Ordinal);
        Assert.Contains("encrypt-tokens: 4 row(s) rewritten so far", run.Error, StringComparison.Ordinal);
        var table = await db.ScalarAsync<string>("SELECT string_agg(t::text, ' ') FROM tokens t");
        Assert.All(values, v => Assert.DoesNotContain(v, table, StringComparison.Ordinal));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE token_data ->> 'kid' = 'new' AND (token_data ->> 'has_refresh_token')::boolean"));

        // The old key can go: everything reads with the new key alone.
        await using (var newApp = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: TokenKeyring.Parse(newEntry)))
        {
            var account = await db.ScalarAsync<Guid>("SELECT tesla_account_id FROM tokens WHERE tesla_account_id IS NOT NULL ORDER BY key LIMIT 1");
            Assert.StartsWith("SECRET-OLD-", (await new TokenRepository(newApp).GetForAccountAsync(account, Ct))!.AccessToken, StringComparison.Ordinal);
        }

        var again = await CliRun.InProcessAsync(["encrypt-tokens", "--json"], env);
        Assert.True(again.ExitCode == 0, again.ToString());
        using var result = JsonDocument.Parse(again.Out);
        Assert.Equal(0, result.RootElement.GetProperty("rewritten").GetInt32());
        Assert.Equal(5, result.RootElement.GetProperty("current").GetInt32());
    }

    [Fact]
    public async Task Without_keys_it_refuses_in_one_line_with_exit_2()
    {
        await using var db = await MigratedAsync();
        var run = await CliRun.InProcessAsync(["encrypt-tokens"], Env(db, null));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"tesladb-migrate: encrypt-tokens needs TESLADB_TOKEN_KEYS=id:base64key[,id:base64key…] (the first key encrypts); generate a key with 'tesladb-migrate generate-token-key'.{Environment.NewLine}", run.Error);

        var malformed = await CliRun.InProcessAsync(["encrypt-tokens"], Env(db, "k1:c2hvcnQ="));
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("key 'k1' is 5 bytes", malformed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", malformed.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_under_a_key_id_missing_from_the_keyring_exits_13_naming_it_and_keeps_the_row()
    {
        await using var db = await MigratedAsync();
        await using (var app = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: TokenKeyring.Parse(TokenKeyring.GenerateEntry("lost"))))
        {
            var account = await new TeslaAccountRepository(app).CreateAsync(Guid.NewGuid(), "Lost", cancellationToken: Ct);
            await new TokenRepository(app).StoreAsync(account.Id, Token("SECRET-LOST"), TimeSpan.FromHours(1), Ct);
        }

        var before = await db.ScalarAsync<string>("SELECT token_data::text FROM tokens");
        var run = await CliRun.InProcessAsync(["encrypt-tokens"], Env(db, TokenKeyring.GenerateEntry("current")));

        Assert.Equal(13, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("key id 'lost', which is not in the keyring (current)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await db.ScalarAsync<string>("SELECT token_data ->> 'ct' FROM tokens"), run.All, StringComparison.Ordinal);
        Assert.Equal(before, await db.ScalarAsync<string>("SELECT token_data::text FROM tokens"));
    }

    [Fact]
    public async Task Generate_token_key_prints_an_entry_the_keyring_accepts()
    {
        var run = await CliRun.InProcessAsync(["generate-token-key", "--id", "k2027"]);

        Assert.Equal(0, run.ExitCode);
        var ring = TokenKeyring.Parse(run.Out.Trim());
        Assert.Equal("k2027", ring.CurrentId);
        Assert.NotEqual(run.Out, (await CliRun.InProcessAsync(["generate-token-key", "--id", "k2027"])).Out);
        Assert.Equal(2, (await CliRun.InProcessAsync(["generate-token-key", "--id", "bad id"])).ExitCode);
    }

    private static async Task<TestDatabase> MigratedAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var up = await CliRun.InProcessAsync(["up", "--connection", db.ConnectionString]);
        Assert.True(up.ExitCode == 0, up.ToString());
        return db;
    }

    private static Dictionary<string, string?> Env(TestDatabase db, string? keys) => new()
    {
        ["TESLADB_CONNECTION"] = db.ConnectionString,
        [TokenKeyring.EnvironmentVariable] = keys,
    };

    private static JsonElement Token(string value) =>
        JsonDocument.Parse($$"""{"access_token": "{{value}}", "refresh_token": "{{value}}-r", "expires_in": 28800}""").RootElement.Clone();
}
