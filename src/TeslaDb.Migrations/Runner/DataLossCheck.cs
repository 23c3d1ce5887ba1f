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
    [GeneratedRegex("""DROP TABLE "(?<schema>[^"]+)"\."(?<table>[^"]+)"|DROP TABLE (?<schema>\w+)\.(?<table>\w+)""", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex("""ALTER TABLE "(?<schema>[^"]+)"\."(?<table>[^"]+)" DROP COLUMN "(?<column>[^"]+)"|ALTER TABLE (?<schema>\w+)\.(?<table>\w+) DROP COLUMN (?<column>\w+)""", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    /// <summary>Describes each thing that holds data and would be dropped ("table public.vehicles"), none when safe.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlConnection connection, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        var losses = new List<string>();
        foreach (var statement in statements)
        {
            foreach (Match m in DropTable().Matches(statement))
            {
                var table = Quote(m.Groups["schema"].Value, m.Groups["table"].Value);
                if (await HasAsync(connection, $"SELECT EXISTS (SELECT 1 FROM {table})", cancellationToken))
                {
                    losses.Add($"table {m.Groups["schema"].Value}.{m.Groups["table"].Value} (has rows)");
                }
            }

            foreach (Match m in DropColumn().Matches(statement))
            {
                var table = Quote(m.Groups["schema"].Value, m.Groups["table"].Value);
                var column = Quote(m.Groups["column"].Value);
                if (await HasAsync(connection, $"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} IS NOT NULL)", cancellationToken))
                {
                    losses.Add($"column {m.Groups["schema"].Value}.{m.Groups["table"].Value}.{m.Groups["column"].Value} (has values)");
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
        return matches.Any(m => m.Groups["schema"].Value == schema && m.Groups["table"].Value == table
            && (column is null || m.Groups["column"].Value == column));
    }

    private static string Quote(params string[] parts) => string.Join('.', parts.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    private static async Task<bool> HasAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
