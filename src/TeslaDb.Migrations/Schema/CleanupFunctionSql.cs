namespace TeslaDb.Migrations.Schema;

/// <summary>The text of <c>cleanup_expired_cache()</c> around its DELETE, shared by the migrations that replace it.</summary>
internal static class CleanupFunctionSql
{
    /// <summary>
    /// CREATE OR REPLACE of the zero-argument function. Its search_path is pinned to empty and every name is
    /// qualified, so a caller's search_path cannot redirect the DELETE.
    /// </summary>
    public static string Unbatched(string delete) => $"""
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
