using System.Text.Json;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary><c>verify</c> passes a clean database and reports each kind of hand-made drift in plain words.</summary>
public sealed class VerifyTests
{
    private static async Task<TestDatabase> MigratedAsync(bool supabase = false)
    {
        var db = await TestDatabase.CreateAsync();
        if (supabase)
        {
            await SupabaseLookalike.InstallAsync(db);
        }

        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);
        return db;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_freshly_migrated_database_passes(bool supabase)
    {
        await using var db = await MigratedAsync(supabase);

        var result = await CliRun.InProcessAsync(["verify", "-c", db.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"matches the schema of its {KnownMigrations.Count} migrations ({(supabase ? "Supabase" : "plain PostgreSQL")})", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DROP INDEX idx_cache_expires_at", "index public.idx_cache_expires_at is missing (expected: CREATE INDEX idx_cache_expires_at ON public.vehicle_data_cache USING btree (expires_at))")]
    [InlineData("ALTER TABLE vehicles ALTER COLUMN state TYPE varchar(20)", "column public.vehicles.state differs: expected text null; found character varying(20) null")]
    [InlineData("ALTER TABLE tesla_accounts ALTER COLUMN email SET NOT NULL", "column public.tesla_accounts.email differs: expected text null; found text not null")]
    [InlineData("ALTER TABLE vehicles ALTER COLUMN in_service DROP DEFAULT", "column public.vehicles.in_service differs: expected boolean not null default false; found boolean not null")]
    [InlineData("CREATE INDEX idx_extra ON vehicles (display_name)", "index public.idx_extra is not defined by the migrations (found: CREATE INDEX idx_extra ON public.vehicles USING btree (display_name))")]
    [InlineData("ALTER TABLE vehicle_data_cache DROP CONSTRAINT uq_cache_vehicle_endpoint", "constraint public.vehicle_data_cache.uq_cache_vehicle_endpoint is missing")]
    [InlineData("DROP TRIGGER trg_tokens_updated_at ON tokens", "trigger public.tokens.trg_tokens_updated_at is missing")]
    [InlineData("CREATE OR REPLACE FUNCTION cleanup_expired_cache() RETURNS integer LANGUAGE sql AS 'SELECT 0'", "function public.cleanup_expired_cache() differs")]
    public async Task Drift_is_reported_in_plain_words_with_exit_7(string drift, string expected)
    {
        await using var db = await MigratedAsync();
        await db.ExecuteAsync(drift);

        var result = await CliRun.InProcessAsync(["verify", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        Assert.Contains(expected, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DROP POLICY vehicles_owner ON vehicles", "policy public.vehicles.vehicles_owner is missing")]
    [InlineData("ALTER TABLE vehicle_data_cache DISABLE ROW LEVEL SECURITY", "table public.vehicle_data_cache differs: expected row level security on; found row level security off")]
    [InlineData("GRANT EXECUTE ON FUNCTION cleanup_expired_cache() TO anon", "privilege anon execute public.cleanup_expired_cache() differs: expected denied; found granted")]
    [InlineData("GRANT SELECT ON tokens TO authenticated", "privilege authenticated select public.tokens differs: expected denied; found granted")]
    public async Task Supabase_drift_is_reported(string drift, string expected)
    {
        await using var db = await MigratedAsync(supabase: true);
        await db.ExecuteAsync(drift);

        var result = await CliRun.InProcessAsync(["verify", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        Assert.Contains(expected, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_lists_each_difference_and_other_tables_are_ignored()
    {
        await using var db = await MigratedAsync();
        await db.ExecuteAsync("DROP INDEX idx_vehicles_vin; CREATE TABLE public.my_app_table (id int PRIMARY KEY); CREATE INDEX my_app_index ON my_app_table (id)");

        var result = await CliRun.InProcessAsync(["verify", "--json", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        var report = JsonDocument.Parse(result.Out).RootElement;
        Assert.False(report.GetProperty("clean").GetBoolean());
        var difference = Assert.Single(report.GetProperty("differences").EnumerateArray());
        Assert.Equal("missing", difference.GetProperty("kind").GetString());
        Assert.Equal("index public.idx_vehicles_vin", difference.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Pending_migrations_are_reported_instead_of_a_diff()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await CliRun.InProcessAsync(["verify", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.PendingMigrations, result.ExitCode);
        Assert.Contains($"{KnownMigrations.Count} migration(s) pending; run 'tesladb-migrate up' first", result.Out, StringComparison.Ordinal);
    }
}
