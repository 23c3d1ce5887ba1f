using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.Schema;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The console's account search (<c>email ILIKE @pattern OR account_name ILIKE @pattern</c>, pattern '%text%', as
/// TeslaAccountRepository.BrowseAsync sends it) is served by the pg_trgm GIN index, built valid; on Supabase pg_trgm
/// lives in the extensions schema.
/// </summary>
public sealed class AccountSearchTrigramTests
{
    // The repository's filter, word for word.
    private const string Search = "SELECT a.id FROM public.tesla_accounts a WHERE true AND (a.email ILIKE @pattern OR a.account_name ILIKE @pattern)";

    private static async Task<TestDatabase> MigratedAsync(bool supabase)
    {
        var db = await TestDatabase.CreateAsync();
        if (supabase)
        {
            await SupabaseLookalike.InstallAsync(db);
        }

        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync(cancellationToken: TestContext.Current.CancellationToken);
        return db;
    }

    private static async Task<string> PlanAsync(TestDatabase db, string pattern)
    {
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"EXPLAIN {Search}", connection);
        command.Parameters.AddWithValue("pattern", NpgsqlTypes.NpgsqlDbType.Text, pattern);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public async Task The_search_uses_the_valid_trigram_index_on_a_loaded_table()
    {
        await using var db = await MigratedAsync(supabase: false);
        await db.ExecuteAsync(
            """
            INSERT INTO tesla_accounts (supabase_user_id, account_name, email)
            SELECT gen_random_uuid(), 'Account ' || md5(g::text), 'driver' || g || '@' || md5(g::text) || '.example'
              FROM generate_series(1, 20000) g;
            INSERT INTO tesla_accounts (supabase_user_id, account_name, email) VALUES (gen_random_uuid(), 'Fleet Ålesund', 'ops@ålesund-fleet.example');
            """);
        // As autovacuum would: moves the rows from the GIN pending list into the index and refreshes its statistics.
        await db.ExecuteAsync("VACUUM ANALYZE tesla_accounts");

        var plan = await PlanAsync(db, "%ålesund%");

        Assert.Contains(IndexAccountSearchTrigram.EmailIndex, plan, StringComparison.Ordinal);
        Assert.Contains(IndexAccountSearchTrigram.AccountNameIndex, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_index WHERE indisvalid AND indisready AND indexrelid IN (@e::regclass, @n::regclass)",
            ("e", "public." + IndexAccountSearchTrigram.EmailIndex), ("n", "public." + IndexAccountSearchTrigram.AccountNameIndex)));
        // Case-insensitive, both columns, as ILIKE promises.
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM ({Search}) s", ("pattern", "%ÅLESUND-FLEET%")));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM ({Search}) s", ("pattern", "%fleet ål%")));
        Assert.Equal("public", await db.ScalarAsync<string>("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"));
    }

    [Fact]
    public async Task On_supabase_pg_trgm_is_in_the_extensions_schema_and_the_index_uses_its_operator_class()
    {
        await using var db = await MigratedAsync(supabase: true);

        Assert.Equal("extensions", await db.ScalarAsync<string>("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"));
        Assert.Contains("USING gin (email extensions.gin_trgm_ops)", await db.ScalarAsync<string>($"SELECT pg_get_indexdef('public.{IndexAccountSearchTrigram.EmailIndex}'::regclass)"), StringComparison.Ordinal);
        Assert.Contains("USING gin (account_name extensions.gin_trgm_ops)", await db.ScalarAsync<string>($"SELECT pg_get_indexdef('public.{IndexAccountSearchTrigram.AccountNameIndex}'::regclass)"), StringComparison.Ordinal);

        // With few rows the planner would scan; with sequential scans priced out it must find the index usable.
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SET enable_seqscan = off; EXPLAIN {Search}", connection);
        command.Parameters.AddWithValue("pattern", NpgsqlTypes.NpgsqlDbType.Text, "%fleet%");
        var plan = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }
}
