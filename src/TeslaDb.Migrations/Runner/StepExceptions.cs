namespace TeslaDb.Migrations.Runner;

/// <summary>A migration step waited for a table lock longer than the step lock timeout, on every attempt.</summary>
public sealed class StepLockTimeoutException : Exception
{
    public StepLockTimeoutException(
        long version, string description, bool transactional, string? table, IReadOnlyList<BlockingBackend> blockers, int attempts, TimeSpan lockTimeout)
        : base($"Migration {version} ({description}) could not lock {table ?? "its table"} within {lockTimeout.TotalSeconds:0.###} s in {attempts} attempt(s) and {(transactional ? "was rolled back" : "stopped (its completed statements stay; a rerun resumes)")}; "
            + (blockers.Count > 0 ? $"blocked by backend {string.Join(", ", blockers)}" : "the blocking session was not seen")
            + ". Let that session finish (or end it with pg_terminate_backend), then run up again.")
    {
        Version = version;
        Table = table;
        Blockers = blockers;
    }

    public StepLockTimeoutException()
    {
        Blockers = [];
    }

    public StepLockTimeoutException(string message)
        : base(message)
    {
        Blockers = [];
    }

    public StepLockTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        Blockers = [];
    }

    public long Version { get; }

    /// <summary>The table the step queued for, when known.</summary>
    public string? Table { get; }

    /// <summary>The sessions seen holding it, last time the step was seen waiting.</summary>
    public IReadOnlyList<BlockingBackend> Blockers { get; }
}

/// <summary>The connection running a migration was lost (server restart, terminated backend) while it ran.</summary>
public sealed class MigrationConnectionLostException : Exception
{
    public MigrationConnectionLostException(long version, string description, bool transactional, Exception innerException)
        : base($"The connection to the database was lost while migration {version} ({description}) ran; "
            + (transactional ? "PostgreSQL rolled the migration back" : "its completed statements stay and a rerun resumes")
            + ". Nothing is recorded as applied: run up again.", innerException)
    {
        Version = version;
    }

    public MigrationConnectionLostException()
    {
    }

    public MigrationConnectionLostException(string message)
        : base(message)
    {
    }

    public MigrationConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Version { get; }
}

/// <summary>One failed attempt of a step that is retried: what it waited for, and when it runs again.</summary>
public sealed record StepRetry(
    long Version, string Description, int Attempt, int Attempts, string? Table, IReadOnlyList<BlockingBackend> Blockers, TimeSpan Delay)
{
    /// <summary>One line for a person.</summary>
    public string Message =>
        $"Migration {Version} ({Description}) timed out waiting for a lock on {Table ?? "its table"}"
        + (Blockers.Count > 0 ? $" held by backend {string.Join(", ", Blockers)}" : string.Empty)
        + $"; rolled back, retrying in {Delay.TotalSeconds:0.###} s (attempt {Attempt + 1} of {Attempts})…";
}
