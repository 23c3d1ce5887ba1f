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

    private static IEnumerable<PlanFinding> FindingsJson(IEnumerable<LintFinding> findings) => findings.Select(f => new PlanFinding(
        f.Rule.Id,
        f.Rule.Severity == LintSeverity.Error ? "error" : "warning",
        f.Message,
        f.Rule.Fix,
        f.AllowedBecause is not null,
        f.AllowedBecause));

    public static PlanDocument Json(string target, MigrationPlan plan, bool all) => new(
        target,
        plan.Supabase,
        all,
        plan.IsClean,
        plan.Violations.Count(),
        plan.Migrations.Select(m => new PlanMigration(
            m.Version,
            m.Description,
            m.InTransaction,
            m.Statements.Select(s => new PlanStatement(
                s.Summary,
                s.Lock.Sql(),
                s.Lock.BlocksWrites(),
                s.Table,
                s.EstimatedRows,
                s.NewTable,
                s.Access.ToString().ToLowerInvariant(),
                s.Sql,
                FindingsJson(s.Findings))),
            FindingsJson(m.DownFindings))));

    private static string Rows(Migrations.Plan.PlannedStatement s) =>
        s.Table is null ? "-" : s.NewTable ? "new" : s.EstimatedRows is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "?";

    private static string Access(TableAccess access) => access switch
    {
        TableAccess.Scan => "scan",
        TableAccess.Rewrite => "REWRITE",
        _ => "-",
    };
}
