using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Cli;

/// <summary>How results are written: plain lines for people, JSON (camelCase, one document) for machines.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void WriteJson(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, Json));

    public static string Ms(TimeSpan elapsed) => $"{elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    public static void WriteStatus(TextWriter writer, string target, MigrationStatus status)
    {
        writer.WriteLine($"Migrations of {target}:");
        foreach (var m in status.Migrations)
        {
            var state = !m.IsKnown ? "UNKNOWN" : m.IsApplied ? "applied" : "pending";
            var when = m.AppliedOn?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;
            writer.WriteLine($"  {m.Version}  {state,-7}  {when,-20}  {m.Description}");
        }

        var applied = status.Migrations.Count(m => m.IsApplied && m.IsKnown);
        var pending = status.Pending.Count();
        writer.WriteLine(pending == 0 ? $"{applied} applied, up to date." : $"{applied} applied, {pending} pending: run 'tesladb-migrate up'.");
        if (status.Unknown.Any())
        {
            writer.WriteLine("UNKNOWN: applied to the database but not part of this tesladb-migrate (a newer version migrated it); upgrade the tool.");
        }
    }

    public static object StatusJson(string target, MigrationStatus status) => new
    {
        target,
        upToDate = status.IsUpToDate,
        migrations = status.Migrations.Select(m => new
        {
            version = m.Version,
            description = m.Description,
            state = !m.IsKnown ? "unknown" : m.IsApplied ? "applied" : "pending",
            appliedOn = m.AppliedOn,
        }),
    };

    public static object StepsJson(string target, string action, IReadOnlyList<MigrationStep> steps, MigrationStatus after) => new
    {
        target,
        action,
        migrations = steps.Select(s => new { version = s.Version, description = s.Description, elapsedMs = Math.Round(s.Elapsed.TotalMilliseconds, 1) }),
        currentVersion = CurrentVersion(after),
        upToDate = after.IsUpToDate,
    };

    public static long CurrentVersion(MigrationStatus status) =>
        status.Migrations.Where(m => m.IsApplied).Select(m => m.Version).DefaultIfEmpty(0).Max();

    public static void WriteScript(TextWriter writer, string target, MigrationScript script)
    {
        writer.WriteLine($"-- tesladb-migrate script for {target}: {script.Migrations.Count} pending migration(s).");
        writer.WriteLine("-- This is the SQL 'up' would run now. While it runs, 'up' also holds");
        writer.WriteLine($"-- pg_advisory_lock({MigrationLock.Key}) on a separate session so that concurrent runs wait.");
        if (script.Migrations.Count == 0)
        {
            writer.WriteLine("-- Nothing to apply: the database is up to date.");
            return;
        }

        if (script.VersionTableStatements.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("-- The version table, created on the first run.");
            writer.WriteLine("BEGIN;");
            WriteStatements(writer, script.VersionTableStatements);
            writer.WriteLine("COMMIT;");
        }

        foreach (var m in script.Migrations)
        {
            writer.WriteLine();
            writer.WriteLine($"-- {m.Version}: {m.Description}");
            writer.WriteLine(m.InTransaction ? "BEGIN;" : "-- (no transaction: this migration opts out of one)");
            WriteStatements(writer, m.Statements);
            if (m.InTransaction)
            {
                writer.WriteLine("COMMIT;");
            }
        }
    }

    private static void WriteStatements(TextWriter writer, IEnumerable<string> statements)
    {
        foreach (var statement in statements)
        {
            var text = statement.TrimEnd();
            writer.WriteLine(text.EndsWith(';') ? text : text + ";");
        }
    }
}
