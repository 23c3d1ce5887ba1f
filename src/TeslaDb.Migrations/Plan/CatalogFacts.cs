using Npgsql;

namespace TeslaDb.Migrations.Plan;

/// <summary>
/// What the database says about the tables the plan touches: estimated rows (pg_class.reltuples), which table an
/// index belongs to, which columns a validated CHECK (col IS NOT NULL) already proves not null, and which functions
/// are VOLATILE. Read in four catalog queries, whatever the number of migrations.
/// </summary>
internal sealed class CatalogFacts
{
    /// <summary>Existing tables ("schema.table") with their estimated rows; null when never analysed.</summary>
    public Dictionary<string, long?> Rows { get; } = [];

    /// <summary>"schema.index" to "schema.table".</summary>
    public Dictionary<string, string> IndexTables { get; } = [];

    public HashSet<(string Table, string Column)> ProvenNotNull { get; } = [];

    /// <summary>Names of the database's VOLATILE functions (pg_proc.provolatile = 'v'), its own included.</summary>
    public HashSet<string> VolatileFunctions { get; } = [];

    public static async Task<CatalogFacts> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var facts = new CatalogFacts();
        // reltuples is -1 until the first VACUUM/ANALYZE (PG 14+); a table without a single page has no rows either way.
        await ReadAsync(connection, """
            SELECT n.nspname || '.' || c.relname,
                   CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint WHEN pg_relation_size(c.oid) = 0 THEN 0 END
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, r => facts.Rows[r.GetString(0)] = r.IsDBNull(1) ? null : r.GetInt64(1), cancellationToken);
        await ReadAsync(connection, """
            SELECT n.nspname || '.' || i.relname, n.nspname || '.' || t.relname
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
              JOIN pg_namespace n ON n.oid = i.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, r => facts.IndexTables[r.GetString(0)] = r.GetString(1), cancellationToken);
        await ReadAsync(connection, """
            SELECT n.nspname || '.' || c.relname, pg_get_constraintdef(k.oid)
              FROM pg_constraint k
              JOIN pg_class c ON c.oid = k.conrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE k.contype = 'c' AND k.convalidated
            """,
            r =>
            {
                var tokens = SqlTokenizer.Tokens(r.GetString(1));
                if (AlterTableClassifier.NotNullColumn([.. tokens.Skip(1)]) is { } column)
                {
                    facts.ProvenNotNull.Add((r.GetString(0), column));
                }
            },
            cancellationToken);
        await ReadAsync(connection, "SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v'",
            r => facts.VolatileFunctions.Add(r.GetString(0)), cancellationToken);
        return facts;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
