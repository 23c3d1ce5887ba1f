namespace TeslaDb.Migrations.Runner;

/// <summary>One migration as known to the tool and the database.</summary>
/// <param name="AppliedOn">When it was applied (UTC); null while pending.</param>
/// <param name="IsKnown">False for a version recorded in the database that this tool does not contain
/// (the database was migrated by a newer version of the tool).</param>
/// <param name="IsChanged">True for an applied migration whose generated SQL no longer matches the checksum recorded
/// when it was applied: its code was edited afterwards.</param>
public sealed record MigrationState(
    long Version, string Description, bool IsApplied, DateTimeOffset? AppliedOn, bool IsKnown = true, bool IsChanged = false);

/// <summary>Every migration, in version order, and whether the database is up to date.</summary>
/// <param name="Supabase">Whether the Supabase parts apply to this database.</param>
public sealed record MigrationStatus(IReadOnlyList<MigrationState> Migrations, bool Supabase)
{
    public IEnumerable<MigrationState> Pending => Migrations.Where(m => !m.IsApplied);
    public IEnumerable<MigrationState> Unknown => Migrations.Where(m => !m.IsKnown);
    public IEnumerable<MigrationState> Changed => Migrations.Where(m => m.IsChanged);
    public bool IsUpToDate => !Pending.Any();
    public long CurrentVersion => Migrations.Where(m => m.IsApplied).Select(m => m.Version).DefaultIfEmpty(0).Max();
}

/// <summary>What an <c>up</c> or <c>down</c> did, and the state it left.</summary>
public sealed record MigrationRun(IReadOnlyList<MigrationStep> Steps, MigrationStatus Status);

/// <summary>A migration applied or reverted by this run.</summary>
public sealed record MigrationStep(long Version, string Description, TimeSpan Elapsed);

/// <summary>The SQL of one pending migration, as <c>up</c> would run it.</summary>
/// <param name="InTransaction">False for a migration that opts out of the per-migration transaction.</param>
public sealed record ScriptedMigration(long Version, string Description, bool InTransaction, IReadOnlyList<string> Statements);

/// <summary>What <c>up</c> would run: the session settings that bound each step (<c>lock_timeout</c>,
/// <c>statement_timeout</c>), then the version table's creation (when absent), then each migration.</summary>
public sealed record MigrationScript(IReadOnlyList<string> VersionTableStatements, IReadOnlyList<ScriptedMigration> Migrations)
{
    /// <summary>The <c>SET</c> statements that bound every step, run first on the session.</summary>
    public IReadOnlyList<string> SessionStatements { get; init; } = [];
}

/// <summary>A migration of the assemblies: the SQL its Up generates (previewed) and the checksum of that SQL.</summary>
internal sealed record KnownMigration(long Version, string Description, string Checksum, IReadOnlyList<string> UpSql);
