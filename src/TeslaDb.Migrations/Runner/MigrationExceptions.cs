namespace TeslaDb.Migrations.Runner;

/// <summary>A migration failed; its transaction was rolled back, so neither its changes nor its version row remain
/// (a non-transactional migration keeps the statements it completed, and no version row: a rerun resumes).</summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException(long version, string description, Exception innerException)
        : this(version, description, transactional: true, innerException)
    {
    }

    /// <param name="login">The role the migration ran as, named in the grant a missing privilege needs.</param>
    public MigrationFailedException(long version, string description, bool transactional, Exception innerException, string? login = null)
        : base($"Migration {version} ({description}) failed and {(transactional ? "was rolled back" : "stopped; it runs outside a transaction, so its completed statements stay and a rerun resumes")}: {PostgresProblem.Describe(Innermost(innerException), login)}", innerException)
    {
        Version = version;
        Description = description;
    }

    public MigrationFailedException()
    {
        Description = string.Empty;
    }

    public MigrationFailedException(string message)
        : base(message)
    {
        Description = string.Empty;
    }

    public MigrationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Description = string.Empty;
    }

    public long Version { get; }
    public string Description { get; }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}

/// <summary>Another run held the migration lock for longer than the lock timeout.</summary>
public sealed class MigrationLockTimeoutException : Exception
{
    public MigrationLockTimeoutException(TimeSpan waited)
        : base($"Another migration run still holds the migration lock after {waited.TotalSeconds:0} s; retry when it has finished, or allow a longer wait.")
    {
    }

    public MigrationLockTimeoutException()
    {
    }

    public MigrationLockTimeoutException(string message)
        : base(message)
    {
    }

    public MigrationLockTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A target version that is not one of the migrations.</summary>
public sealed class UnknownMigrationVersionException : ArgumentException
{
    public UnknownMigrationVersionException(long version, IEnumerable<long> known)
        : base($"Version {version} is not a migration of this tool; known versions: 0 (nothing), {string.Join(", ", known)}.")
    {
    }

    public UnknownMigrationVersionException()
    {
    }

    public UnknownMigrationVersionException(string message)
        : base(message)
    {
    }

    public UnknownMigrationVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary><c>down</c> would drop tables or columns that hold data, and the caller did not allow it.</summary>
public sealed class DataLossRefusedException : Exception
{
    public DataLossRefusedException(IReadOnlyList<string> losses)
        : base($"Refused: this down would destroy data in {string.Join(", ", losses)}. Nothing was changed. Back it up, then allow data loss to proceed (the tokens table and its rows are kept either way).")
    {
        Losses = losses;
    }

    public DataLossRefusedException()
    {
        Losses = [];
    }

    public DataLossRefusedException(string message)
        : base(message)
    {
        Losses = [];
    }

    public DataLossRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Losses = [];
    }

    public IReadOnlyList<string> Losses { get; }
}

/// <summary>Applied migrations whose SQL has changed since; <c>up</c> does not run past them unless allowed.</summary>
public sealed class ChangedMigrationsException : Exception
{
    public ChangedMigrationsException(IReadOnlyList<MigrationState> changed)
        : base($"Refused: applied migration(s) {string.Join(", ", changed.Select(m => $"{m.Version} ({m.Description})"))} changed since they were applied; their new SQL never ran here. Restore the original migration code, or check the schema with verify and allow changed migrations.")
    {
        Changed = changed;
    }

    public ChangedMigrationsException()
    {
        Changed = [];
    }

    public ChangedMigrationsException(string message)
        : base(message)
    {
        Changed = [];
    }

    public ChangedMigrationsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Changed = [];
    }

    public IReadOnlyList<MigrationState> Changed { get; }
}

/// <summary>An existing <c>public.tokens</c> table is not the shape migration 202611251010 adopts; nothing was changed.</summary>
public sealed class TokensNotAdoptableException : Exception
{
    public TokensNotAdoptableException(IReadOnlyList<string> differences)
        : base($"Refused: public.tokens exists but is not the table this schema adopts, and adopting it as it is would break its updates and the repositories: {string.Join("; ", differences)}. Nothing was changed; fix the table (keeping its rows), then run up again.")
    {
        Differences = differences;
    }

    public TokensNotAdoptableException()
    {
        Differences = [];
    }

    public TokensNotAdoptableException(string message)
        : base(message)
    {
        Differences = [];
    }

    public TokensNotAdoptableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Differences = [];
    }

    /// <summary>What differs, each with the statement that fixes it.</summary>
    public IReadOnlyList<string> Differences { get; }
}

/// <summary>The database was migrated with the Supabase parts on and this run has them off, or the other way round:
/// its applied migrations differ from their code only because of that, and are not re-run in the other mode.</summary>
public sealed class SupabaseModeMismatchException : Exception
{
    public SupabaseModeMismatchException(bool appliedWithSupabase, SupabaseMode requested, IReadOnlyList<MigrationState> differing)
        : base($"This database was migrated with the Supabase parts {OnOff(appliedWithSupabase)} (auth.users link, row level security, execute grants) "
               + $"and this run has them {OnOff(!appliedWithSupabase)} ({Why(requested, !appliedWithSupabase)}): migration(s) {string.Join(", ", differing.Select(m => m.Version))} "
               + $"differ for that reason, not because their code changed, and are not re-run in the other mode. Run with --supabase {OnOff(appliedWithSupabase)} "
               + $"(MigratorOptions.Supabase = {(appliedWithSupabase ? "On" : "Off")}) to go on as this database was migrated.")
    {
        AppliedWithSupabase = appliedWithSupabase;
        Differing = differing;
    }

    public SupabaseModeMismatchException()
    {
        Differing = [];
    }

    public SupabaseModeMismatchException(string message)
        : base(message)
    {
        Differing = [];
    }

    public SupabaseModeMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Differing = [];
    }

    /// <summary>True when the applied migrations were generated with the Supabase parts.</summary>
    public bool AppliedWithSupabase { get; }

    /// <summary>The applied migrations whose SQL depends on the mode.</summary>
    public IReadOnlyList<MigrationState> Differing { get; }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string Why(SupabaseMode requested, bool on) => requested switch
    {
        SupabaseMode.Auto when on => "--supabase auto found auth.users and auth.uid()",
        SupabaseMode.Auto => "--supabase auto did not find Supabase's auth.users and auth.uid()",
        _ => $"--supabase {OnOff(on)}",
    };
}

/// <summary>The connection goes through a transaction-mode pooler, where the migration lock cannot work.</summary>
public sealed class TransactionPoolerException : Exception
{
    public TransactionPoolerException(string host, int port)
        : base($"Refused: {host}:{port} is a transaction-mode pooler (consecutive sessions share one server connection), where the migration lock and session settings do not hold. Migrate through the direct connection or a session-mode pooler (on Supabase: the direct connection or the session pooler on port 5432, not 6543).")
    {
    }

    public TransactionPoolerException()
    {
    }

    public TransactionPoolerException(string message)
        : base(message)
    {
    }

    public TransactionPoolerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server is a standby (in recovery, read-only): migrations run on the primary; status and verify work here.</summary>
public sealed class StandbyRefusedException : Exception
{
    public StandbyRefusedException(string server)
        : base($"{server} is a standby (a read-only replica in recovery): migrate the primary instead; status and verify work on a standby.")
    {
    }

    public StandbyRefusedException()
    {
    }

    public StandbyRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
