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

    // A hand-made table of another shape (json, timestamps without zone, no updated_at) passed up and then broke every
    // UPDATE through the updated_at trigger: now refused before anything runs, each difference with its fix.
    [Fact]
    public async Task A_tokens_table_of_another_shape_is_refused_before_anything_changes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("""
            CREATE TABLE tokens (key varchar(200), token_data json NOT NULL, expires_at timestamp, created_at timestamp NOT NULL DEFAULT now());
            INSERT INTO tokens (key, token_data) VALUES ('user_token:legacy', '{"refresh_token": "EU_legacy"}');
            """);
        const string Public = "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type, ', ' ORDER BY table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'";
        var before = await db.ScalarAsync<string>(Public);

        var result = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        Assert.Equal(Tool.ExitCodes.MigrationFailed, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("public.tokens exists but is not the table this schema adopts", line, StringComparison.Ordinal);
        Assert.Contains("key is character varying, not text (fix: ALTER TABLE public.tokens ALTER COLUMN key TYPE text USING key::text)", line, StringComparison.Ordinal);
        Assert.Contains("token_data is json, not jsonb (fix: ALTER TABLE public.tokens ALTER COLUMN token_data TYPE jsonb USING token_data::jsonb)", line, StringComparison.Ordinal);
        Assert.Contains("expires_at is timestamp without time zone, not timestamptz (fix: ALTER TABLE public.tokens ALTER COLUMN expires_at TYPE timestamptz USING expires_at AT TIME ZONE 'UTC'", line, StringComparison.Ordinal);
        Assert.Contains("updated_at is missing (fix: ALTER TABLE public.tokens ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now())", line, StringComparison.Ordinal);
        Assert.Contains("key is not unique (fix: ALTER TABLE public.tokens ADD PRIMARY KEY (key))", line, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", line, StringComparison.Ordinal);
        Assert.Equal(before, await db.ScalarAsync<string>(Public));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));

        // Fixed as the message says, it is adopted and keeps its row.
        await db.ExecuteAsync("""
            ALTER TABLE public.tokens ALTER COLUMN key TYPE text USING key::text;
            ALTER TABLE public.tokens ALTER COLUMN token_data TYPE jsonb USING token_data::jsonb;
            ALTER TABLE public.tokens ALTER COLUMN expires_at TYPE timestamptz USING expires_at AT TIME ZONE 'UTC';
            ALTER TABLE public.tokens ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC';
            ALTER TABLE public.tokens ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
            ALTER TABLE public.tokens ADD PRIMARY KEY (key);
            """);
        var fixedUp = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);
        Assert.True(fixedUp.ExitCode == 0, fixedUp.ToString());
        Assert.Equal(1, await db.ScalarAsync<int>("UPDATE tokens SET token_data = token_data || '{\"x\": 1}' WHERE key = 'user_token:legacy' RETURNING 1"));
    }

    // Shapes that work are adopted whatever their precision; a key the upserts cannot use (deferrable) is not.
    [Theory]
    [InlineData("key text PRIMARY KEY, token_data jsonb NOT NULL, expires_at timestamptz(3), created_at timestamptz(3) NOT NULL DEFAULT now(), updated_at timestamptz(0) NOT NULL DEFAULT now()", null)]
    [InlineData("key text CONSTRAINT tokens_pkey PRIMARY KEY DEFERRABLE, token_data jsonb NOT NULL, expires_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()", "key is not unique")]
    [InlineData("key text PRIMARY KEY, token_data jsonb NOT NULL, expires_at timestamptz, created_at timestamptz DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()", "created_at may be null (fix: UPDATE public.tokens SET created_at = now() WHERE created_at IS NULL;")]
    public async Task Adoption_checks_what_the_repositories_need_not_how_it_is_spelt(string columns, string? refusal)
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync($"CREATE TABLE public.tokens ({columns}); INSERT INTO public.tokens (key, token_data) VALUES ('user_token:x', '{{}}')");

        var result = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        if (refusal is null)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM public.tokens"));
        }
        else
        {
            Assert.Equal(Tool.ExitCodes.MigrationFailed, result.ExitCode);
            Assert.Contains(refusal, result.Error, StringComparison.Ordinal);
        }
    }
}
