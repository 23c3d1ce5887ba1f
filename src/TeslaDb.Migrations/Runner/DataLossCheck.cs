using System.Text.RegularExpressions;
using Npgsql;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Finds what a <c>down</c> would destroy: the tables its SQL drops that hold rows, and the columns it drops that
/// hold values. Read from the SQL the migrations generate (previewed, not run), so a new migration is covered
/// without being listed here.
/// </summary>
internal static partial class DataLossCheck
{
    // A table name as PostgreSQL accepts it: optionally schema-qualified (an unqualified one is public's, the
    // schema the migrations use), each part quoted or not.
    private const string TableName = """(?:(?:"(?<schema>[^"]+)"|(?<schema>\w+))\.)?(?:"(?<table>[^"]+)"|(?<table>\w+))""";

    [GeneratedRegex("""\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?""" + TableName, RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    // COLUMN is optional in PostgreSQL's grammar (ALTER TABLE t DROP c), but DROP CONSTRAINT is not a column.
    [GeneratedRegex("""\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?""" + TableName
        + """\s+DROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b)(?:IF\s+EXISTS\s+)?(?:"(?<column>[^"]+)"|(?<column>\w+))""", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    /// <summary>Describes each thing that holds data and would be dropped ("table public.vehicles"), none when safe.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlConnection connection, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        var losses = new List<string>();
        foreach (var statement in statements)
        {
            foreach (Match m in DropTable().Matches(statement))
            {
                var (schema, name) = (Schema(m), m.Groups["table"].Value);
                if (await HasAsync(connection, $"SELECT to_regclass('{Quote(schema, name).Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL", cancellationToken)
                    && await HasAsync(connection, $"SELECT EXISTS (SELECT 1 FROM {Quote(schema, name)})", cancellationToken))
                {
                    losses.Add($"table {schema}.{name} (has rows)");
                }
            }

            foreach (Match m in DropColumn().Matches(statement))
            {
                var (schema, name, column) = (Schema(m), m.Groups["table"].Value, m.Groups["column"].Value);
                if (await ColumnExistsAsync(connection, schema, name, column, cancellationToken)
                    && await HasAsync(connection, $"SELECT EXISTS (SELECT 1 FROM {Quote(schema, name)} WHERE {Quote(column)} IS NOT NULL)", cancellationToken))
                {
                    losses.Add($"column {schema}.{name}.{column} (has values)");
                }
            }
        }

        return losses;
    }

    /// <summary>Whether <see cref="FindAsync"/> would check this table (or this column of it) in
    /// <paramref name="statement"/>: the lint (rule TDB008) flags the drops in a Down that it would miss.</summary>
    internal static bool Sees(string statement, string schema, string table, string? column)
    {
        var matches = column is null ? DropTable().Matches(statement) : DropColumn().Matches(statement);
        return matches.Any(m => Schema(m) == schema && m.Groups["table"].Value == table
            && (column is null || m.Groups["column"].Value == column));
    }

    private static string Schema(Match m) => m.Groups["schema"].Success ? m.Groups["schema"].Value : "public";

    private static async Task<bool> ColumnExistsAsync(NpgsqlConnection connection, string schema, string table, string column, CancellationToken cancellationToken)
    {
        // IF EXISTS drops of what is already gone lose nothing; asking first also keeps a missing table from failing
        // the check itself.
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3)", connection);
        command.Parameters.Add(new() { Value = schema });
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = column });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Quote(params string[] parts) => string.Join('.', parts.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    private static async Task<bool> HasAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
