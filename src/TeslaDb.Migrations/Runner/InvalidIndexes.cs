using System.Text.RegularExpressions;
using Npgsql;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Runner;

/// <summary>An index whose concurrent build failed or was interrupted: maintained on every write, never used.</summary>
public sealed record InvalidIndex(string Schema, string Name, string Table)
{
    public string Describe() =>
        $"invalid index: {Schema}.{Name} on {Table} (a concurrent build failed or was interrupted: it slows every write and serves no read); "
        + $"up rebuilds it when a pending migration creates it, otherwise drop it with DROP INDEX CONCURRENTLY {Schema}.{Name} and build it again";
}

/// <summary>
/// Finds and clears indexes left invalid (<c>pg_index.indisvalid = false</c>) by a failed or interrupted
/// <c>CREATE INDEX CONCURRENTLY</c>. <c>IF NOT EXISTS</c> alone would keep such an index for ever, so before a
/// migration runs, the invalid indexes it creates are dropped concurrently and the migration builds them again
/// from its current definition. (REINDEX INDEX CONCURRENTLY would rebuild the old definition, and leave a second
/// invalid <c>_ccnew</c> index behind when it fails again, e.g. on duplicates; drop and re-create leaves at most one.)
/// </summary>
internal static partial class InvalidIndexes
{
    /// <summary>Every invalid index in the schemas the migrations use.</summary>
    public static async Task<IReadOnlyList<InvalidIndex>> FindAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname, c.relname, t.oid::regclass::text
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_class t ON t.oid = i.indrelid
             WHERE NOT i.indisvalid AND n.nspname = ANY($1)
             ORDER BY 1, 2
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { SchemaNames.Public, SchemaNames.VersionSchema } });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<InvalidIndex>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new InvalidIndex(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return found;
    }

    /// <summary>The indexes (schema-qualified, quoted as written: an index lives in its table's schema) that <paramref name="statements"/> build concurrently.</summary>
    public static IReadOnlyList<string> CreatedBy(IReadOnlyList<string> statements) =>
        [.. statements
            .Select(s => ConcurrentIndex().Match(s))
            .Where(m => m.Success)
            .Select(m => $"{(m.Groups["schema"].Success ? m.Groups["schema"].Value : SchemaNames.Public)}.{m.Groups["index"].Value}")];

    /// <summary>Drops those of <paramref name="indexes"/> that exist and are invalid, concurrently, through the
    /// migration session (so under its lock timeout).</summary>
    public static void Drop(FluentSession session, IReadOnlyList<string> indexes)
    {
        foreach (var index in indexes)
        {
            using var found = session.Runner.Processor.Read(
                $"SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('{index.Replace("'", "''", StringComparison.Ordinal)}') AND NOT indisvalid");
            if (Convert.ToInt64(found.Tables[0].Rows[0][0], System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                session.Runner.Processor.Execute($"DROP INDEX CONCURRENTLY IF EXISTS {index}");
            }
        }
    }

    [GeneratedRegex("""CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<index>"[^"]+"|[\w$]+)\s+ON\s+(?:ONLY\s+)?(?:(?<schema>"[^"]+"|[\w$]+)\.)?""", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentIndex();
}
