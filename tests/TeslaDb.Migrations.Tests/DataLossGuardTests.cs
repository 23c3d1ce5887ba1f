using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary><c>down</c> refuses to drop tables holding rows (or columns holding values) unless told to.</summary>
public sealed class DataLossGuardTests
{
    [Fact]
    public async Task Down_over_data_is_refused_with_exit_6_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);
        var account = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'Compte principal') RETURNING id");
        await db.ExecuteAsync("INSERT INTO tokens (key, token_data, tesla_account_id) VALUES ('user_token:x', '{}', @a)", ("a", account));

        var refused = await CliRun.InProcessAsync(["down", "--to", "0", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.DataLossRefused, refused.ExitCode);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("table public.tesla_accounts (has rows)", line, StringComparison.Ordinal);
        Assert.Contains("column public.tokens.tesla_account_id (has values)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("vehicles", line, StringComparison.Ordinal);
        Assert.Contains("--allow-data-loss", line, StringComparison.Ordinal);
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM tesla_accounts"));
    }

    [Fact]
    public async Task Down_over_empty_tables_needs_no_flag_and_a_flagged_down_over_data_proceeds()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);

        // Only cache rows above 202611251020: dropping vehicle_data_cache would lose them.
        var account = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'a') RETURNING id");
        var vehicle = await db.ScalarAsync<Guid>("INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, 1, '5YJ3E1EA1PF000123', '{}') RETURNING id", ("a", account));
        var toTriggers = await CliRun.InProcessAsync(["down", "--to", "202611251040", "-c", db.ConnectionString]);
        await db.ExecuteAsync("INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data) VALUES (@a, @v, 'charge_state', '{}')", ("a", account), ("v", vehicle));
        var refused = await CliRun.InProcessAsync(["down", "--to", "202611251020", "-c", db.ConnectionString]);
        var allowed = await CliRun.InProcessAsync(["down", "--to", "202611251020", "--allow-data-loss", "-c", db.ConnectionString]);

        Assert.True(toTriggers.ExitCode == 0, toTriggers.ToString());
        Assert.Equal(ExitCodes.DataLossRefused, refused.ExitCode);
        Assert.Contains("table public.vehicle_data_cache (has rows)", refused.Error, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('public.vehicle_data_cache')::text"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicles"));
    }

    [Fact]
    public async Task The_guard_reads_drops_as_PostgreSQL_does_unqualified_quoted_IF_EXISTS_and_without_COLUMN()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("""
            CREATE TABLE public.kept (id int, note text, empty text); INSERT INTO public.kept VALUES (1, 'x', NULL);
            CREATE SCHEMA other; CREATE TABLE other."Mixed Case" (id int); INSERT INTO other."Mixed Case" VALUES (1);
            CREATE TABLE public.nothing (id int);
            """);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(ct);

        async Task<IReadOnlyList<string>> Find(string sql) => await DataLossCheck.FindAsync(connection, [sql], ct);

        Assert.Equal(["table public.kept (has rows)"], await Find("DROP TABLE IF EXISTS kept"));
        Assert.Equal(["table public.kept (has rows)"], await Find("drop table \"public\".kept cascade"));
        Assert.Equal(["table other.Mixed Case (has rows)"], await Find("DROP TABLE IF EXISTS other.\"Mixed Case\""));
        Assert.Equal(["column public.kept.note (has values)"], await Find("ALTER TABLE ONLY kept DROP note"));
        Assert.Equal(["column public.kept.note (has values)"], await Find("ALTER TABLE IF EXISTS public.kept DROP COLUMN IF EXISTS \"note\""));
        // Nothing to lose: an empty table or column, a constraint, or what is already gone.
        Assert.Empty(await Find("DROP TABLE nothing"));
        Assert.Empty(await Find("ALTER TABLE kept DROP COLUMN empty"));
        Assert.Empty(await Find("ALTER TABLE kept DROP CONSTRAINT kept_pkey"));
        Assert.Empty(await Find("DROP TABLE IF EXISTS gone"));
        Assert.Empty(await Find("ALTER TABLE kept DROP COLUMN IF EXISTS gone"));
    }
}
