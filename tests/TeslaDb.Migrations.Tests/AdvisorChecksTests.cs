using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The checks of Supabase's database advisor that concern what the migrations create, written as catalog queries
/// and run on a migrated Supabase lookalike: each must find nothing.
/// </summary>
public sealed class AdvisorChecksTests(SupabaseDatabaseFixture fixture) : IClassFixture<SupabaseDatabaseFixture>
{
    public static TheoryData<string, string> Lints => new()
    {
        // rls_disabled_in_public: a table in public without row level security.
        { "rls_disabled_in_public", "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity" },
        // rls_enabled_no_policy: row level security on, but no policy.
        { "rls_enabled_no_policy", "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)" },
        // function_search_path_mutable: a function in public without a pinned search_path.
        // Exempt: the batched cleanup procedure, which commits per batch, and PostgreSQL forbids COMMIT in a procedure
        // with a SET clause; it names only schema-qualified objects and runs with its caller's rights.
        { "function_search_path_mutable", "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) s WHERE s LIKE 'search_path=%') AND p.oid IS DISTINCT FROM to_regprocedure('public.cleanup_expired_cache_in_batches(integer,bigint)')" },
        // security definer functions in an exposed schema.
        { "security_definer_function", "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef" },
        // auth_rls_initplan: auth.uid() called per row instead of (select auth.uid()) once per statement.
        { "auth_rls_initplan", "SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND (coalesce(qual, '') || coalesce(with_check, '')) ~ 'auth\\.uid\\(\\)' AND (coalesce(qual, '') || coalesce(with_check, '')) !~ 'SELECT auth\\.uid\\(\\)'" },
        // multiple_permissive_policies: more than one permissive policy for one role and action on a table.
        { "multiple_permissive_policies", "SELECT tablename || ' ' || r || ' ' || cmd FROM pg_policies, unnest(roles) r WHERE schemaname = 'public' AND permissive = 'PERMISSIVE' GROUP BY tablename, r, cmd HAVING count(*) > 1" },
        // unindexed_foreign_keys: a foreign key whose columns do not lead an index.
        { "unindexed_foreign_keys", """
            SELECT con.conname FROM pg_constraint con
             WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace
               AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] = con.conkey)
            """ },
        // functions in public callable by anon through the API (the cleanup must not be).
        { "anon_can_execute_cleanup", "SELECT 'cleanup_expired_cache' WHERE has_function_privilege('anon', 'public.cleanup_expired_cache()', 'EXECUTE')" },
        // the migration history table is not in an exposed schema.
        { "version_table_exposed", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename ILIKE '%version%'" },
    };

    [Theory]
    [MemberData(nameof(Lints))]
    public async Task Advisor_lint_finds_nothing(string lint, string sql)
    {
        var findings = await fixture.Database.ScalarAsync<string[]>($"SELECT coalesce(array_agg(x::text), '{{}}') FROM ({sql}) AS found(x)");

        Assert.True(findings.Length == 0, $"{lint}: {string.Join(", ", findings)}");
    }

    [Fact]
    public async Task The_lints_do_fire_on_what_they_look_for()
    {
        var lints = Lints.ToDictionary(row => (string)row.Data.Item1, row => (string)row.Data.Item2);
        await using var plain = await TestDatabase.CreateAsync();
        await new Runner.TeslaDbMigrator(new Runner.MigratorOptions { ConnectionString = plain.ConnectionString }).UpAsync(cancellationToken: TestContext.Current.CancellationToken);
        await plain.ExecuteAsync("CREATE SCHEMA auth; CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid'; CREATE POLICY bare ON tesla_accounts USING (auth.uid() = supabase_user_id); CREATE TABLE vehicle_notes (vehicle_id uuid REFERENCES vehicles (id))");

        async Task<string[]> Find(string lint) =>
            await plain.ScalarAsync<string[]>($"SELECT coalesce(array_agg(x::text ORDER BY x::text), '{{}}') FROM ({lints[lint]}) AS found(x)");

        Assert.Equal(["tesla_accounts", "tesla_api_backoff", "tokens", "vehicle_data_cache", "vehicle_notes", "vehicles"], await Find("rls_disabled_in_public"));
        Assert.Equal(["bare"], await Find("auth_rls_initplan"));
        Assert.Equal(["vehicle_notes_vehicle_id_fkey"], await Find("unindexed_foreign_keys"));
    }
}
