using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// Supabase only: a function in <c>public</c> is callable by anyone through the REST API (<c>/rpc/…</c>) unless
/// execute is revoked. Only <c>service_role</c> (server-side jobs) and the owner (pg_cron jobs scheduled by it) may
/// run <c>cleanup_expired_cache()</c>. Off Supabase this migration does nothing: the database's own grants apply.
/// </summary>
[Migration(202611251120, "Supabase: restrict execution of cleanup_expired_cache()")]
public sealed class RestrictCleanupExecution(MigrationTarget target) : Migration
{
    public override void Up()
    {
        if (target.Supabase)
        {
            Execute.Sql("""
                REVOKE EXECUTE ON FUNCTION public.cleanup_expired_cache() FROM PUBLIC, anon, authenticated;
                GRANT EXECUTE ON FUNCTION public.cleanup_expired_cache() TO service_role;
                """);
        }
    }

    public override void Down()
    {
        if (target.Supabase)
        {
            Execute.Sql("""
                REVOKE EXECUTE ON FUNCTION public.cleanup_expired_cache() FROM service_role;
                GRANT EXECUTE ON FUNCTION public.cleanup_expired_cache() TO PUBLIC;
                """);
        }
    }
}
