namespace TeslaDb.Migrations.Runner;

/// <summary>One migration as known to the tool and the database.</summary>
/// <param name="AppliedOn">When it was applied (UTC); null while pending.</param>
/// <param name="IsKnown">False for a version recorded in the database that this tool does not contain
/// (the database was migrated by a newer version of the tool).</param>
public sealed record MigrationState(long Version, string Description, bool IsApplied, DateTimeOffset? AppliedOn, bool IsKnown = true);

/// <summary>Every migration, in version order, and whether the database is up to date.</summary>
public sealed record MigrationStatus(IReadOnlyList<MigrationState> Migrations)
{
    public IEnumerable<MigrationState> Pending => Migrations.Where(m => !m.IsApplied);
    public IEnumerable<MigrationState> Unknown => Migrations.Where(m => !m.IsKnown);
    public bool IsUpToDate => !Pending.Any();
}

/// <summary>A migration applied or reverted by this run.</summary>
public sealed record MigrationStep(long Version, string Description, TimeSpan Elapsed);

/// <summary>The SQL of one pending migration, as <c>up</c> would run it.</summary>
/// <param name="InTransaction">False for a migration that opts out of the per-migration transaction.</param>
public sealed record ScriptedMigration(long Version, string Description, bool InTransaction, IReadOnlyList<string> Statements);

/// <summary>What <c>up</c> would run: first the version table's creation (when absent), then each migration.</summary>
public sealed record MigrationScript(IReadOnlyList<string> VersionTableStatements, IReadOnlyList<ScriptedMigration> Migrations);
