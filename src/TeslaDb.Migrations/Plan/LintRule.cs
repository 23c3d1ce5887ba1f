namespace TeslaDb.Migrations.Plan;

public enum LintSeverity
{
    /// <summary>Shown; does not fail the plan.</summary>
    Warning,

    /// <summary>Fails the plan (exit 12) unless the migration acknowledges it with <see cref="LintAllowAttribute"/>.</summary>
    Error,
}

/// <summary>A rule of the migration lint: its id, what it catches, and the one-line safe recipe.</summary>
public sealed record LintRule(string Id, LintSeverity Severity, string Title, string Fix);

/// <summary>The rules, documented in docs/migrations.md ("plan and lint"). Never renumber: migrations cite the ids.</summary>
public static class LintRules
{
    public static readonly LintRule NonConcurrentIndex = new(
        "TDB001", LintSeverity.Error, "CREATE INDEX without CONCURRENTLY on an existing table blocks its writes (SHARE lock) for the whole build",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS in a [Migration(v, TransactionBehavior.None)] migration, alone in its Execute.Sql");

    public static readonly LintRule ConcurrentInTransaction = new(
        "TDB002", LintSeverity.Error, "CONCURRENTLY cannot run inside a transaction or a multi-statement batch (25001)",
        "declare the migration [Migration(v, TransactionBehavior.None)] and give the statement an Execute.Sql of its own");

    public static readonly LintRule ForeignKeyValidatedInline = new(
        "TDB003", LintSeverity.Error, "a FOREIGN KEY added without NOT VALID scans the table while blocking writes to both tables",
        "ADD CONSTRAINT … NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT … in a later statement (writes go on)");

    public static readonly LintRule CheckValidatedInline = new(
        "TDB004", LintSeverity.Error, "a CHECK added without NOT VALID scans the table under ACCESS EXCLUSIVE (reads blocked too)",
        "ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT … in a later statement");

    public static readonly LintRule SetNotNullScans = new(
        "TDB005", LintSeverity.Error, "SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) exists",
        "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (no scan) and DROP CONSTRAINT c");

    public static readonly LintRule ColumnTypeChange = new(
        "TDB006", LintSeverity.Error, "ALTER COLUMN … TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE (most type changes)",
        "add a new column, backfill it in batches, switch the readers, drop the old one (or acknowledge a binary-compatible change)");

    public static readonly LintRule VolatileDefault = new(
        "TDB007", LintSeverity.Error, "ADD COLUMN with a volatile default (or serial/identity/stored generated) rewrites the table under ACCESS EXCLUSIVE",
        "add the column without that default, then ALTER COLUMN … SET DEFAULT and backfill the existing rows in batches");

    public static readonly LintRule UnguardedDrop = new(
        "TDB008", LintSeverity.Error, "DROP TABLE / DROP COLUMN / TRUNCATE that the data-loss guard does not check: it runs only on 'down', and reads only DROP TABLE schema.table and ALTER TABLE schema.table DROP COLUMN col",
        "in Up keep the data (drop it in a later release, after a backup) or acknowledge why it may go; in Down write one schema-qualified DROP per statement, without IF EXISTS");

    public static readonly LintRule NonConcurrentDropIndex = new(
        "TDB009", LintSeverity.Warning, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table",
        "DROP INDEX CONCURRENTLY IF EXISTS in a [Migration(v, TransactionBehavior.None)] migration");

    public static readonly LintRule UniqueBuiltInline = new(
        "TDB010", LintSeverity.Error, "ADD UNIQUE / PRIMARY KEY builds its index under ACCESS EXCLUSIVE (reads and writes blocked for the build)",
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX (catalog only)");

    public static readonly LintRule NotNullColumnWithoutDefault = new(
        "TDB011", LintSeverity.Error, "ADD COLUMN … NOT NULL without a default fails (23502) as soon as the table has a row",
        "add it nullable (or with a constant default), backfill, then SET NOT NULL the TDB005 way");

    public static IReadOnlyList<LintRule> All { get; } =
    [
        NonConcurrentIndex, ConcurrentInTransaction, ForeignKeyValidatedInline, CheckValidatedInline, SetNotNullScans,
        ColumnTypeChange, VolatileDefault, UnguardedDrop, NonConcurrentDropIndex, UniqueBuiltInline, NotNullColumnWithoutDefault,
    ];
}
