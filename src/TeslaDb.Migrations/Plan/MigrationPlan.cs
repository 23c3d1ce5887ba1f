namespace TeslaDb.Migrations.Plan;

/// <summary>A rule a statement breaks. <see cref="AllowedBecause"/> holds the migration's reason when it
/// acknowledges the rule with <see cref="LintAllowAttribute"/>.</summary>
public sealed record LintFinding(LintRule Rule, string Message, string? AllowedBecause)
{
    /// <summary>An error nobody acknowledged: fails the plan.</summary>
    public bool IsViolation => Rule.Severity == LintSeverity.Error && AllowedBecause is null;
}

/// <summary>One statement of a migration and what running it costs.</summary>
/// <param name="Sql">The statement as it will be sent (one of several when an Execute.Sql holds many).</param>
/// <param name="Summary">What it does, in a few words ("CREATE INDEX CONCURRENTLY").</param>
/// <param name="Lock">The strongest table lock it takes (<see cref="LockMode.None"/>: no user table).</param>
/// <param name="Table">The table it locks, schema-qualified; null when none.</param>
/// <param name="EstimatedRows">pg_class.reltuples of that table: 0 for a table created by this migration (or not
/// there yet), null without a database, for a never analysed table, or when there is no table.</param>
/// <param name="NewTable">The table is created earlier in the same migration: nobody else can be using it.</param>
public sealed record PlannedStatement(
    string Sql, string Summary, LockMode Lock, string? Table, long? EstimatedRows, bool NewTable, TableAccess Access, IReadOnlyList<LintFinding> Findings);

/// <summary>One migration's statements, in order.</summary>
public sealed record PlannedMigration(long Version, string Description, bool InTransaction, IReadOnlyList<PlannedStatement> Statements)
{
    /// <summary>Findings in the SQL of its Down (read only when every migration is planned): drops that
    /// <c>down</c>'s data-loss guard would not see.</summary>
    public IReadOnlyList<LintFinding> DownFindings { get; init; } = [];
}

/// <summary>What <c>up</c> would run (or, with every migration, what each does), statement by statement.</summary>
/// <param name="Estimated">Whether row counts were read from a database.</param>
public sealed record MigrationPlan(IReadOnlyList<PlannedMigration> Migrations, bool Supabase, bool Estimated)
{
    public IEnumerable<LintFinding> Findings =>
        Migrations.SelectMany(m => m.Statements.SelectMany(s => s.Findings).Concat(m.DownFindings));

    public IEnumerable<LintFinding> Violations => Findings.Where(f => f.IsViolation);

    public bool IsClean => !Violations.Any();
}
