using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>A database that already has a tokens table (and tokens) keeps every row and value through up and down.</summary>
public sealed class TokensAdoptionTests
{
    private const string LegacyTokens = """
        CREATE TABLE tokens (
            key text PRIMARY KEY,
            token_data jsonb NOT NULL,
            expires_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO tokens (key, token_data, expires_at, created_at, updated_at) VALUES
          ('user_token:8d7f3a52-1c1e-4a43-9f51-0b8c7e2d9a10',
           '{"access_token": "eyJhbGciOiJSUzI1NiJ9.legacy", "refresh_token": "EU_legacy_refresh", "expires_in": 28800, "token_type": "Bearer"}',
           '2026-01-01T08:00:00Z', '2025-12-31T00:00:00Z', '2026-01-01T00:00:00Z'),
          ('user_token:4b0c2f4e-5d6a-4f0e-8a3b-2c1d0e9f8a7b', '{"refresh_token": "EU_second"}', NULL, '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z'),
          ('oauth_state:abc', '{"state": "abc"}', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
        """;

    // Every value of every row, as text, in key order.
    private const string Dump = "SELECT string_agg(concat_ws('|', key, token_data::text, expires_at, created_at, updated_at), E'\\n' ORDER BY key) FROM tokens";

    [Fact]
    public async Task Existing_tokens_survive_up_and_down_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync(LegacyTokens);
        var before = await db.ScalarAsync<string>(Dump);
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString });

        await migrator.UpAsync(cancellationToken: ct);
        Assert.Equal(before, await db.ScalarAsync<string>(Dump));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE tesla_account_id IS NULL"));

        // Adopted: the new column links a token to an account, and deleting the account removes its token.
        var account = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'x') RETURNING id");
        await db.ExecuteAsync("INSERT INTO tokens (key, token_data, tesla_account_id) VALUES ('user_token:new', '{}', @a)", ("a", account));
        await db.ExecuteAsync("DELETE FROM tesla_accounts WHERE id = @a", ("a", account));
        Assert.Equal(before, await db.ScalarAsync<string>(Dump));

        await migrator.DownAsync(0, cancellationToken: ct);
        Assert.Equal(before, await db.ScalarAsync<string>(Dump));
        Assert.Null(await db.ScalarAsync("SELECT 1 FROM information_schema.columns WHERE table_name = 'tokens' AND column_name = 'tesla_account_id'"));

        await migrator.UpAsync(cancellationToken: ct);
        Assert.Equal(before, await db.ScalarAsync<string>(Dump));
    }

    [Fact]
    public async Task Tokens_stored_after_up_survive_down_to_zero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString });
        await migrator.UpAsync(cancellationToken: ct);
        var account = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'x') RETURNING id");
        await db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, tesla_account_id) VALUES ('user_token:u:' || @a::text, '{\"refresh_token\": \"EU_kept\"}', @a)",
            ("a", account));

        await migrator.DownAsync(0, allowDataLoss: true, cancellationToken: ct);

        Assert.Equal("{\"refresh_token\": \"EU_kept\"}", await db.ScalarAsync<string>("SELECT token_data::text FROM tokens"));
    }
}
