using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>SELECT cleanup_expired_cache();</c> deletes the expired cache rows and returns how many it deleted.
/// Expired means <c>expires_at &lt;= now()</c>: a null <c>expires_at</c> never expires, and tokens are never
/// touched (an expired access token still carries a valid refresh token).
/// </summary>
/// <remarks>
/// <c>search_path</c> is pinned to empty and every name is qualified, so a caller's search_path cannot redirect
/// the DELETE (and Supabase's linter has no <c>function_search_path_mutable</c> to report).
/// </remarks>
[Migration(202611251040, "Create cleanup_expired_cache()")]
public sealed class CreateCleanupExpiredCache : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE FUNCTION public.cleanup_expired_cache() RETURNS integer
                LANGUAGE plpgsql
                SET search_path = ''
            AS $function$
            DECLARE
                deleted integer;
            BEGIN
                DELETE FROM public.vehicle_data_cache
                 WHERE expires_at IS NOT NULL
                   AND expires_at <= now();
                GET DIAGNOSTICS deleted = ROW_COUNT;
                RETURN deleted;
            END
            $function$;
            """);
    }

    public override void Down()
    {
        Execute.Sql("DROP FUNCTION public.cleanup_expired_cache();");
    }
}
