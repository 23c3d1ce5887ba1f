using System.Text;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A text picture of everything the migrations define in a database, read from the catalog: columns (in order,
/// dropped ones skipped), constraints, indexes, functions, triggers, policies and row level security of the public
/// and tesladb schemas. Two
/// databases with equal snapshots have the same schema.
/// </summary>
internal static class SchemaSnapshot
{
    private const string Sql = """
        SELECT 'column ' || c.table_schema || '.' || c.table_name || ' #' ||
               row_number() OVER (PARTITION BY c.table_schema, c.table_name ORDER BY c.ordinal_position) || ' ' ||
               c.column_name || ' ' || c.data_type || CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE '' END ||
               coalesce(' default ' || c.column_default, '')
          FROM information_schema.columns c
         WHERE c.table_schema IN ('public', 'tesladb')
        UNION ALL
        SELECT 'constraint ' || n.nspname || '.' || t.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname IN ('public', 'tesladb')
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname IN ('public', 'tesladb')
        UNION ALL
        SELECT 'function ' || pg_get_functiondef(p.oid)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'tesladb')
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(tg.oid)
          FROM pg_trigger tg JOIN pg_class t ON t.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE NOT tg.tgisinternal AND n.nspname IN ('public', 'tesladb')
        UNION ALL
        SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd || ' '
               || array_to_string(roles, ',') || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
          FROM pg_policies WHERE schemaname IN ('public', 'tesladb')
        UNION ALL
        SELECT 'rls ' || c.relname || ' ' || c.relrowsecurity
          FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
        ORDER BY 1
        """;

    public static async Task<string> CaptureAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            text.AppendLine(reader.GetString(0));
        }

        return text.ToString();
    }
}
