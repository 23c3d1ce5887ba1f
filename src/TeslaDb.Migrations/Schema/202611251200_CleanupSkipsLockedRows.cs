using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>cleanup_expired_cache()</c> no longer waits for rows that writers hold: it locks the expired rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and deletes those. A single DELETE locked them in scan order while writers upsert in
/// key order, and the two deadlocked under load (40P01, found by the access concurrency test). A skipped row is
/// being rewritten at that moment; the next cleanup takes it if it is still expired.
/// </summary>
[Migration(202611251200, "cleanup_expired_cache() skips rows locked by writers")]
public sealed class CleanupSkipsLockedRows : Migration
{
    public override void Up() => Execute.Sql(Function("""
        WITH doomed AS (
            SELECT id FROM public.vehicle_data_cache
             WHERE expires_at IS NOT NULL AND expires_at <= now()
               FOR UPDATE SKIP LOCKED
        )
        DELETE FROM public.vehicle_data_cache c USING doomed WHERE c.id = doomed.id;
        """));

    public override void Down() => Execute.Sql(Function("""
        DELETE FROM public.vehicle_data_cache
         WHERE expires_at IS NOT NULL
           AND expires_at <= now();
        """));

    // CREATE OR REPLACE keeps the function's grants (Supabase mode restricts who may execute it).
    private static string Function(string delete) => $"""
        CREATE OR REPLACE FUNCTION public.cleanup_expired_cache() RETURNS integer
            LANGUAGE plpgsql
            SET search_path = ''
        AS $function$
        DECLARE
            deleted integer;
        BEGIN
            {delete}
            GET DIAGNOSTICS deleted = ROW_COUNT;
            RETURN deleted;
        END
        $function$;
        """;
}
