using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

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

    public static object VerifyJson(string target, VerifyReport report) => new
    {
        target,
        supabase = report.Status.Supabase,
        clean = report.IsClean,
        pending = report.Status.Pending.Select(m => m.Version),
        changedMigrations = report.Status.Changed.Select(m => new { version = m.Version, description = m.Description }),
        differences = report.Differences.Select(d => new { kind = d.Kind, @object = d.Object, expected = d.Expected, found = d.Found, text = d.Describe() }),
        invalidIndexes = report.InvalidIndexes.Select(i => new { schema = i.Schema, name = i.Name, table = i.Table, text = i.Describe() }),
    };

    public static object StatusJson(string target, MigrationStatus status) => new
    {
        target,
        supabase = status.Supabase,
        upToDate = status.IsUpToDate,
        migrations = status.Migrations.Select(m => new
        {
            version = m.Version,
            description = m.Description,
            state = State(m),
            appliedOn = m.AppliedOn,
        }),
    };

    public static object StepsJson(string target, string action, IReadOnlyList<MigrationStep> steps, MigrationStatus after) => new
    {
        target,
        action,
        migrations = steps.Select(s => new { version = s.Version, description = s.Description, elapsedMs = Math.Round(s.Elapsed.TotalMilliseconds, 1) }),
        currentVersion = after.CurrentVersion,
        upToDate = after.IsUpToDate,
    };

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
