using System.Globalization;
using TeslaDb.Migrations.Plan;

namespace TeslaDb.Migrations.Tool;

/// <summary>How <c>plan</c> is written: a table per migration for people, one JSON document for machines.</summary>
internal static class PlanOutput
{
    public static void Write(TextWriter writer, string target, MigrationPlan plan, bool all)
    {
        var mode = plan.Supabase ? "Supabase" : "plain PostgreSQL";
        writer.WriteLine(all
            ? $"Plan of all {plan.Migrations.Count} migration(s) against {target} ({mode}):"
            : $"Plan for {target} ({mode}): {plan.Migrations.Count} pending migration(s).");
        foreach (var m in plan.Migrations)
        {
            writer.WriteLine();
            writer.WriteLine($"{m.Version}  {m.Description}{(m.InTransaction ? string.Empty : "  (no transaction)")}");
            if (m.Statements.Count == 0)
            {
                writer.WriteLine("  (no statement here)");
                continue;
            }

            writer.WriteLine($"  {"lock",-22}  {"table",-28}  {"rows",12}  {"access",-7}  statement");
            foreach (var s in m.Statements)
            {
                writer.WriteLine($"  {s.Lock.Sql(),-22}  {s.Table ?? "-",-28}  {Rows(s),12}  {Access(s.Access),-7}  {s.Summary}");
                WriteFindings(writer, s.Findings);
            }

            if (m.DownFindings.Count > 0)
            {
                writer.WriteLine("  in its Down:");
                WriteFindings(writer, m.DownFindings);
            }
        }

        var statements = plan.Migrations.Sum(m => m.Statements.Count);
        var allowed = plan.Findings.Count(f => f.AllowedBecause is not null);
        var warnings = plan.Findings.Count(f => f.Rule.Severity == LintSeverity.Warning && f.AllowedBecause is null);
        writer.WriteLine();
        writer.WriteLine($"{statements} statement(s): {plan.Violations.Count()} violation(s), {warnings} warning(s), {allowed} acknowledged.");
        if (!plan.Estimated)
        {
            writer.WriteLine("Row estimates need a database.");
        }
    }

    private static void WriteFindings(TextWriter writer, IEnumerable<LintFinding> findings)
    {
        foreach (var f in findings)
        {
            var state = f.AllowedBecause is not null ? "allowed"
                : f.Rule.Severity == LintSeverity.Error ? "ERROR" : "warning";
            writer.WriteLine($"    {state}  {f.Message}");
            writer.WriteLine(f.AllowedBecause is { } reason ? $"      because: {reason}" : $"      fix: {f.Rule.Fix}");
        }
    }

    private static IEnumerable<object> FindingsJson(IEnumerable<LintFinding> findings) => findings.Select(f => new
    {
        rule = f.Rule.Id,
        severity = f.Rule.Severity == LintSeverity.Error ? "error" : "warning",
        message = f.Message,
        fix = f.Rule.Fix,
        allowed = f.AllowedBecause is not null,
        reason = f.AllowedBecause,
    });

    public static object Json(string target, MigrationPlan plan, bool all) => new
    {
        target,
        supabase = plan.Supabase,
        all,
        clean = plan.IsClean,
        violations = plan.Violations.Count(),
        migrations = plan.Migrations.Select(m => new
        {
            version = m.Version,
            description = m.Description,
            inTransaction = m.InTransaction,
            statements = m.Statements.Select(s => new
            {
                summary = s.Summary,
                @lock = s.Lock.Sql(),
                blocksWrites = s.Lock.BlocksWrites(),
                table = s.Table,
                estimatedRows = s.EstimatedRows,
                newTable = s.NewTable,
                access = s.Access.ToString().ToLowerInvariant(),
                sql = s.Sql,
                findings = FindingsJson(s.Findings),
            }),
            downFindings = FindingsJson(m.DownFindings),
        }),
    };

    private static string Rows(Migrations.Plan.PlannedStatement s) =>
        s.Table is null ? "-" : s.NewTable ? "new" : s.EstimatedRows is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "?";

    private static string Access(TableAccess access) => access switch
    {
        TableAccess.Scan => "scan",
        TableAccess.Rewrite => "REWRITE",
        _ => "-",
    };
}
