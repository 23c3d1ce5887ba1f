using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// The cleanup in bounded batches, for pg_cron and for huge backlogs: <c>cleanup_expired_cache(batch_size)</c>
/// deletes at most that many expired rows (oldest first) and returns how many; the procedure
/// <c>CALL cleanup_expired_cache_in_batches(batch_size)</c> repeats it, committing after each batch, until a batch
/// comes back short, and returns the total. Each transaction then holds at most <c>batch_size</c> row locks and writes
/// a bounded burst of WAL, and a cancelled run keeps the batches it committed. Rows writers hold are skipped, as in
/// <c>cleanup_expired_cache()</c>.
/// </summary>
/// <remarks>
/// The procedure has no <c>SET search_path</c> clause because PostgreSQL forbids COMMIT in a procedure that has one;
/// it names only the schema-qualified function, whose own search_path is pinned. ORDER BY expires_at makes each
/// batch an index scan of idx_cache_expires_at, which marks the index entries of earlier batches dead as it passes
/// them, so batch n does not rescan the rows batches 1…n-1 deleted.
/// </remarks>
[Migration(202612021010, "Create the batched cleanup: cleanup_expired_cache(batch_size) and cleanup_expired_cache_in_batches")]
public sealed class CreateBatchedCleanup(MigrationTarget target) : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE FUNCTION public.cleanup_expired_cache(batch_size integer) RETURNS integer
                LANGUAGE plpgsql
                SET search_path = ''
            AS $function$
            DECLARE
                deleted integer;
            BEGIN
                IF batch_size IS NULL OR batch_size < 1 THEN
                    RAISE EXCEPTION 'batch_size must be at least 1, not %', batch_size USING ERRCODE = '22023';
                END IF;
                DELETE FROM public.vehicle_data_cache
                 WHERE ctid = ANY (ARRAY(
                        SELECT ctid FROM public.vehicle_data_cache
                         WHERE expires_at IS NOT NULL AND expires_at <= now()
                         ORDER BY expires_at
                         LIMIT batch_size
                           FOR UPDATE SKIP LOCKED));
                GET DIAGNOSTICS deleted = ROW_COUNT;
                RETURN deleted;
            END
            $function$;
            """);
        Execute.Sql("""
            CREATE PROCEDURE public.cleanup_expired_cache_in_batches(batch_size integer DEFAULT 5000, INOUT deleted bigint DEFAULT 0)
                LANGUAGE plpgsql
            AS $procedure$
            DECLARE
                batch integer;
            BEGIN
                deleted := 0;
                LOOP
                    batch := public.cleanup_expired_cache(batch_size);
                    deleted := deleted + batch;
                    COMMIT;
                    EXIT WHEN batch < batch_size;
                END LOOP;
            END
            $procedure$;
            """);
        if (target.Supabase)
        {
            // As for cleanup_expired_cache(): not callable through the REST API by anon or authenticated users.
            Execute.Sql("REVOKE EXECUTE ON FUNCTION public.cleanup_expired_cache(integer) FROM PUBLIC, anon, authenticated;");
            Execute.Sql("GRANT EXECUTE ON FUNCTION public.cleanup_expired_cache(integer) TO service_role;");
            Execute.Sql("REVOKE EXECUTE ON PROCEDURE public.cleanup_expired_cache_in_batches(integer, bigint) FROM PUBLIC, anon, authenticated;");
            Execute.Sql("GRANT EXECUTE ON PROCEDURE public.cleanup_expired_cache_in_batches(integer, bigint) TO service_role;");
        }
    }

    public override void Down()
    {
        Execute.Sql("DROP PROCEDURE public.cleanup_expired_cache_in_batches(integer, bigint);");
        Execute.Sql("DROP FUNCTION public.cleanup_expired_cache(integer);");
    }
}
