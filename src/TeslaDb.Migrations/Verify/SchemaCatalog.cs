using Npgsql;

namespace TeslaDb.Migrations.Verify;

/// <summary>
/// Reads from the catalog every object the migrations own: the five tables (row level security, columns,
/// constraints, indexes, triggers, policies), the version table, the two functions and, on Supabase, who may execute
/// the cleanup and read tokens. Objects of other tables in the same schema are not looked at: a Supabase project's
/// public schema holds the user's own tables too.
/// </summary>
internal static class SchemaCatalog
{
    private const string OurTables = "('public.tesla_accounts', 'public.tokens', 'public.vehicles', 'public.vehicle_data_cache', 'public.tesla_api_backoff', 'tesladb.version_info', 'tesladb.admin_journal')";

    private const string Sql = $$"""
        WITH ours AS (
            SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relrowsecurity, c.relforcerowsecurity
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname || '.' || c.relname IN {{OurTables}}
        )
        SELECT 'table', name, 'row level security ' || CASE WHEN relrowsecurity THEN 'on' ELSE 'off' END
               || CASE WHEN relforcerowsecurity THEN ', forced' ELSE '' END
          FROM ours
        UNION ALL
        SELECT 'column', o.name || '.' || a.attname,
               format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
          FROM ours o JOIN pg_attribute a ON a.attrelid = o.oid AND a.attnum > 0 AND NOT a.attisdropped
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        UNION ALL
        SELECT 'constraint', o.name || '.' || con.conname, pg_get_constraintdef(con.oid)
          FROM ours o JOIN pg_constraint con ON con.conrelid = o.oid
        UNION ALL
        SELECT 'index', n.nspname || '.' || i.relname, pg_get_indexdef(i.oid)
          FROM ours o JOIN pg_index x ON x.indrelid = o.oid JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_namespace n ON n.oid = i.relnamespace
        UNION ALL
        SELECT 'trigger', o.name || '.' || t.tgname, pg_get_triggerdef(t.oid)
          FROM ours o JOIN pg_trigger t ON t.tgrelid = o.oid AND NOT t.tgisinternal
        UNION ALL
        SELECT 'policy', p.schemaname || '.' || p.tablename || '.' || p.policyname,
               p.permissive || ' for ' || p.cmd || ' to ' || array_to_string(p.roles, ', ')
               || coalesce(' using (' || p.qual || ')', '') || coalesce(' with check (' || p.with_check || ')', '')
          FROM pg_policies p WHERE p.schemaname || '.' || p.tablename IN {{OurTables}}
        UNION ALL
        SELECT 'function', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               pg_get_functiondef(p.oid)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname || '.' || p.proname IN ('public.cleanup_expired_cache', 'public.cleanup_expired_cache_in_batches', 'public.tesladb_set_updated_at')
        """;

    // Supabase only: these roles exist there, and their rights are part of what the migrations promise.
    private const string PrivilegesSql = """
        SELECT 'privilege', r.rolname || ' execute public.cleanup_expired_cache()',
               CASE WHEN has_function_privilege(r.oid, 'public.cleanup_expired_cache()', 'EXECUTE') THEN 'granted' ELSE 'denied' END
          FROM pg_roles r WHERE r.rolname IN ('anon', 'authenticated', 'service_role')
           AND to_regprocedure('public.cleanup_expired_cache()') IS NOT NULL
        UNION ALL
        SELECT 'privilege', r.rolname || ' select public.tokens',
               CASE WHEN has_table_privilege(r.oid, 'public.tokens', 'SELECT') THEN 'granted' ELSE 'denied' END
          FROM pg_roles r WHERE r.rolname IN ('anon', 'authenticated')
           AND to_regclass('public.tokens') IS NOT NULL
        """;

    /// <summary>The items, sorted by kind and name.</summary>
    public static async Task<IReadOnlyList<SchemaItem>> CaptureAsync(NpgsqlConnection connection, bool supabase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var items = new List<SchemaItem>();
        // The catalog prints names relative to the search_path (policies say "tesla_accounts a" or
        // "public.tesla_accounts a"): an empty one makes every name qualified, whoever connects.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var path = new NpgsqlCommand("SET LOCAL search_path = pg_catalog", connection, transaction))
        {
            await path.ExecuteNonQueryAsync(cancellationToken);
        }

        await ReadAsync(connection, Sql, items, cancellationToken);
        if (supabase)
        {
            await ReadAsync(connection, PrivilegesSql, items, cancellationToken);
        }

        await transaction.RollbackAsync(cancellationToken);

        items.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return items;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, List<SchemaItem> items, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new SchemaItem(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
    }

    /// <summary>What differs between <paramref name="expected"/> and <paramref name="found"/>, in a stable order.</summary>
    public static IReadOnlyList<SchemaDifference> Compare(IReadOnlyList<SchemaItem> expected, IReadOnlyList<SchemaItem> found)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(found);
        var want = expected.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var have = found.ToDictionary(i => i.Key, StringComparer.Ordinal);
        var differences = new List<SchemaDifference>();
        foreach (var key in want.Keys.Union(have.Keys).Order(StringComparer.Ordinal))
        {
            var hasWant = want.TryGetValue(key, out var w);
            var hasHave = have.TryGetValue(key, out var h);
            if (hasWant && !hasHave)
            {
                differences.Add(new SchemaDifference("missing", key, w!.Definition, null));
            }
            else if (!hasWant && hasHave)
            {
                differences.Add(new SchemaDifference("unexpected", key, null, h!.Definition));
            }
            else if (!string.Equals(w!.Definition, h!.Definition, StringComparison.Ordinal))
            {
                differences.Add(new SchemaDifference("changed", key, w.Definition, h.Definition));
            }
        }

        return differences;
    }
}
