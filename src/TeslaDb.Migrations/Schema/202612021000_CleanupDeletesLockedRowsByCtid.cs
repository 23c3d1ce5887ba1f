using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>cleanup_expired_cache()</c> deletes the rows it locked by their <c>ctid</c> (a TID scan) instead of joining
/// their ids back to the table. The 202611251200 form took 7–8× a bare DELETE at 1M expired of 2M rows: the planner
/// hash-joined the locked ids with a sequential scan of the whole table, spilling to temporary files. The lock pass
/// (<c>FOR UPDATE SKIP LOCKED</c>) stays: it is what keeps the cleanup from waiting for, or deadlocking with,
/// writers that hold expired rows (a plain DELETE deadlocked with batch upserts, 40P01). Same signature, so
/// CREATE OR REPLACE keeps the function's owner and grants (Supabase mode restricts who may execute it).
/// </summary>
[Migration(202612021000, "cleanup_expired_cache() deletes the rows it locked by ctid")]
public sealed class CleanupDeletesLockedRowsByCtid : Migration
{
    public override void Up() => Execute.Sql(CleanupFunctionSql.Unbatched("""
        DELETE FROM public.vehicle_data_cache
         WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM public.vehicle_data_cache
                 WHERE expires_at IS NOT NULL AND expires_at <= now()
                   FOR UPDATE SKIP LOCKED));
        """));

    // Back to 202611251200's statement.
    public override void Down() => Execute.Sql(CleanupFunctionSql.Unbatched("""
        WITH doomed AS (
            SELECT id FROM public.vehicle_data_cache
             WHERE expires_at IS NOT NULL AND expires_at <= now()
               FOR UPDATE SKIP LOCKED
        )
        DELETE FROM public.vehicle_data_cache c USING doomed WHERE c.id = doomed.id;
        """));
}
