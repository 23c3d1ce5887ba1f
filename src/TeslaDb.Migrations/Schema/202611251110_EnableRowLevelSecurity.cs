using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// Supabase only: row level security on the four tables. An <c>authenticated</c> user reads and writes only their
/// own accounts and those accounts' vehicles and cache; <c>tokens</c> is for the server alone (service_role and the
/// owner bypass RLS). Off Supabase this migration does nothing.
/// </summary>
/// <remarks>
/// Policies call <c>(select auth.uid())</c>, not <c>auth.uid()</c>: the sub-select is evaluated once per statement
/// instead of once per row (Supabase's advisor reports the bare call as <c>auth_rls_initplan</c>).
/// </remarks>
[Migration(202611251110, "Supabase: row level security and owner policies")]
public sealed class EnableRowLevelSecurity(MigrationTarget target) : Migration
{
    private const string OwnAccounts =
        "tesla_account_id IN (SELECT a.id FROM public.tesla_accounts a WHERE a.supabase_user_id = (SELECT auth.uid()))";

    public override void Up()
    {
        if (!target.Supabase)
        {
            return;
        }

        Execute.Sql("""
            ALTER TABLE public.tesla_accounts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.tokens ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.vehicles ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.vehicle_data_cache ENABLE ROW LEVEL SECURITY;
            """);
        Execute.Sql("""
            CREATE POLICY tesla_accounts_owner ON public.tesla_accounts FOR ALL TO authenticated
                USING ((SELECT auth.uid()) = supabase_user_id)
                WITH CHECK ((SELECT auth.uid()) = supabase_user_id);
            """);
        Execute.Sql($"""
            CREATE POLICY vehicles_owner ON public.vehicles FOR ALL TO authenticated
                USING ({OwnAccounts})
                WITH CHECK ({OwnAccounts});
            """);
        // A cache row must also name a vehicle of the same account: without that check a user could attach rows to
        // someone else's vehicle id.
        Execute.Sql($"""
            CREATE POLICY vehicle_data_cache_owner ON public.vehicle_data_cache FOR ALL TO authenticated
                USING ({OwnAccounts})
                WITH CHECK ({OwnAccounts}
                    AND vehicle_id IN (SELECT v.id FROM public.vehicles v WHERE v.tesla_account_id = vehicle_data_cache.tesla_account_id));
            """);
        // tokens: an explicit "no client" policy states the intent (and keeps the advisor's rls_enabled_no_policy
        // quiet), and the table privileges are revoked so a client gets "permission denied", not an empty answer.
        Execute.Sql("""
            CREATE POLICY tokens_server_only ON public.tokens AS RESTRICTIVE FOR ALL TO anon, authenticated
                USING (false) WITH CHECK (false);
            REVOKE ALL ON TABLE public.tokens FROM anon, authenticated;
            """);
    }

    public override void Down()
    {
        if (!target.Supabase)
        {
            return;
        }

        Execute.Sql("""
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.tokens TO anon, authenticated;
            DROP POLICY IF EXISTS tokens_server_only ON public.tokens;
            DROP POLICY IF EXISTS vehicle_data_cache_owner ON public.vehicle_data_cache;
            DROP POLICY IF EXISTS vehicles_owner ON public.vehicles;
            DROP POLICY IF EXISTS tesla_accounts_owner ON public.tesla_accounts;
            ALTER TABLE public.vehicle_data_cache DISABLE ROW LEVEL SECURITY;
            ALTER TABLE public.vehicles DISABLE ROW LEVEL SECURITY;
            ALTER TABLE public.tokens DISABLE ROW LEVEL SECURITY;
            ALTER TABLE public.tesla_accounts DISABLE ROW LEVEL SECURITY;
            """);
    }
}
