using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>How results are written: plain lines for people, JSON (camelCase, one document) for machines.</summary>
internal static class Output
{
    /// <summary>Writes one document with its source-generated metadata (<see cref="OutputJsonContext"/>: camelCase,
    /// indented), so that it serializes the same in a Native AOT executable, where reflection is unavailable.</summary>
    public static void WriteJson<T>(TextWriter writer, T value, JsonTypeInfo<T> type) => writer.WriteLine(JsonSerializer.Serialize(value, type));

    public static string Ms(TimeSpan elapsed) => $"{elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    private static string State(MigrationState m) =>
        !m.IsKnown ? "unknown" : m.IsChanged ? "changed" : m.IsApplied ? "applied" : "pending";

    public static void WriteStatus(TextWriter writer, string target, MigrationStatus status)
    {
        writer.WriteLine($"Migrations of {target} ({(status.Supabase ? "Supabase" : "plain PostgreSQL")}):");
        foreach (var m in status.Migrations)
        {
            var state = State(m) is "pending" or "applied" ? State(m) : State(m).ToUpperInvariant();
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

        if (status.Changed.Any())
        {
            writer.WriteLine("CHANGED: the migration's SQL differs from what was applied (its code was edited afterwards); 'up' refuses to run past it. Run 'verify'.");
        }
    }

    public static void WriteVerify(TextWriter writer, string target, VerifyReport report)
    {
        var status = report.Status;
        foreach (var index in report.InvalidIndexes)
        {
            writer.WriteLine(index.Describe());
        }

        if (!status.IsUpToDate)
        {
            writer.WriteLine($"{target}: {status.Pending.Count()} migration(s) pending; run 'tesladb-migrate up' first (verify compares a fully migrated schema).");
            return;
        }

        foreach (var m in status.Changed)
        {
            writer.WriteLine($"changed migration: {m.Version} ({m.Description}) no longer generates the SQL that was applied");
        }

        foreach (var d in report.Differences)
        {
            writer.WriteLine(d.Describe());
        }

        writer.WriteLine(report.IsClean
            ? $"{target} matches the schema of its {status.Migrations.Count} migrations ({(status.Supabase ? "Supabase" : "plain PostgreSQL")})."
            : $"{target}: {report.Differences.Count} difference(s), {status.Changed.Count()} changed migration(s), {report.InvalidIndexes.Count} invalid index(es).");
    }

    public static VerifyDocument VerifyJson(string target, VerifyReport report) => new(
        target,
        report.Status.Supabase,
        report.IsClean,
        report.Status.Pending.Select(m => m.Version),
        report.Status.Changed.Select(m => new VersionAndDescription(m.Version, m.Description)),
        report.Differences.Select(d => new VerifyDifference(d.Kind, d.Object, d.Expected, d.Found, d.Describe())),
        report.InvalidIndexes.Select(i => new VerifyInvalidIndex(i.Schema, i.Name, i.Table, i.Describe())));

    public static StatusDocument StatusJson(string target, MigrationStatus status) => new(
        target,
        status.Supabase,
        status.IsUpToDate,
        status.Migrations.Select(m => new StatusMigration(m.Version, m.Description, State(m), m.AppliedOn)));

    public static StepsDocument StepsJson(string target, string action, IReadOnlyList<MigrationStep> steps, MigrationStatus after) => new(
        target,
        action,
        steps.Select(s => new StepMigration(s.Version, s.Description, Math.Round(s.Elapsed.TotalMilliseconds, 1))),
        after.CurrentVersion,
        after.IsUpToDate);

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

        writer.WriteLine();
        writer.WriteLine("-- Every step is bounded, as 'up' bounds it: a statement that queues for a lock longer than lock_timeout");
        writer.WriteLine("-- fails instead of blocking the table's other users ('up' then retries it with back-off).");
        WriteStatements(writer, script.SessionStatements);

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
