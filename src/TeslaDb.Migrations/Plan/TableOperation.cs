namespace TeslaDb.Migrations.Plan;

/// <summary>The kinds of change the lint tells apart; everything else is <see cref="Other"/>.</summary>
internal enum OperationKind
{
    Other,
    CreateTable,
    CreateIndex,
    DropIndex,
    AddColumn,
    DropColumn,
    AlterColumnType,
    SetNotNull,
    AddForeignKey,
    AddCheck,
    AddUniqueOrPrimaryKey,
    ValidateConstraint,
    DropTable,
    Truncate,
}

/// <summary>
/// One change a statement makes to one table, as read from its tokens: an ALTER TABLE with three actions gives
/// three. What the rules look at; <see cref="Lock"/> and <see cref="Access"/> follow PostgreSQL's documentation.
/// </summary>
internal sealed record TableOperation(OperationKind Kind, string? Table, LockMode Lock, TableAccess Access)
{
    /// <summary>CREATE INDEX / DROP INDEX CONCURRENTLY.</summary>
    public bool Concurrently { get; init; }

    /// <summary>ADD CONSTRAINT … NOT VALID.</summary>
    public bool NotValid { get; init; }

    /// <summary>CREATE TABLE IF NOT EXISTS: the table may already exist with rows (adopted), so it is not "new".</summary>
    public bool IfNotExists { get; init; }

    /// <summary>ADD UNIQUE/PRIMARY KEY … USING INDEX: attaches an index built beforehand (concurrently).</summary>
    public bool UsingIndex { get; init; }

    public string? Column { get; init; }

    public string? Constraint { get; init; }

    /// <summary>DROP INDEX: the index's name (its table is looked up in the database when there is one).</summary>
    public string? Index { get; init; }

    /// <summary>A foreign key's referenced table.</summary>
    public string? References { get; init; }

    /// <summary>ADD COLUMN: the volatile function (or serial/identity/stored generation) that makes every row get
    /// its own value, which forces a rewrite.</summary>
    public string? VolatileDefault { get; init; }

    /// <summary>ADD COLUMN: every function its DEFAULT calls (checked against the database's volatile ones).</summary>
    public IReadOnlyList<string> DefaultFunctions { get; init; } = [];

    /// <summary>ADD COLUMN … NOT NULL with no default: fails as soon as the table has a row.</summary>
    public bool NotNullWithoutDefault { get; init; }

    /// <summary>ADD CONSTRAINT … CHECK (col IS NOT NULL): the column it proves not null.</summary>
    public string? ChecksNotNull { get; init; }
}
