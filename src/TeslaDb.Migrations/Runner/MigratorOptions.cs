using System.Reflection;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Runner;

/// <summary>How <see cref="TeslaDbMigrator"/> connects and what it runs.</summary>
public sealed class MigratorOptions
{
    /// <summary>An Npgsql keyword string or a postgres:// URL. Must reach the database directly or through a
    /// session-mode pooler: the migration lock is a session advisory lock.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The assemblies whose migrations are run; TeslaDb's own by default.</summary>
    public IReadOnlyList<Assembly> MigrationAssemblies { get; init; } = [typeof(CreateTeslaAccounts).Assembly];

    /// <summary>How long to wait for another run holding the migration lock before giving up.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long each statement of a migration may queue for a table lock (PostgreSQL's <c>lock_timeout</c>).
    /// While an <c>ALTER TABLE</c> queues, every later query on that table queues behind it: this bounds how long
    /// a migration can stall the app. On timeout the migration is rolled back and retried (<see cref="StepLockAttempts"/>).</summary>
    public TimeSpan StepLockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a migration is tried when it times out waiting for a lock, the first included.</summary>
    public int StepLockAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry; it doubles for each further one (at most 30 s).</summary>
    public TimeSpan StepRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>PostgreSQL's <c>statement_timeout</c> for each statement of a migration (the server cancels it, and
    /// the migration fails); null (the default) sets none, since a concurrent index build can take long.</summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>Told each time a migration timed out waiting for a lock and is about to be retried.</summary>
    public Action<StepRetry>? OnStepRetry { get; init; }

    /// <summary>Client-side time limit of each SQL command; null (the default) waits as long as a statement takes, since an
    /// index build on a large production table can take minutes.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary>Whether to apply the Supabase parts (auth.users link, row level security, execute grants): detected
    /// from the database by default.</summary>
    public SupabaseMode Supabase { get; init; } = SupabaseMode.Auto;

    /// <summary>Only the migrations in this namespace (and below) of <see cref="MigrationAssemblies"/>; all when null.</summary>
    public string? MigrationNamespace { get; init; }

    /// <summary>Told once when this run has to wait for another run's lock (what to print: "waiting for …").</summary>
    public Action<string>? OnWaiting { get; init; }
}

/// <summary>Whether the target is Supabase.</summary>
public enum SupabaseMode
{
    /// <summary>Supabase when the database has <c>auth.users</c> and <c>auth.uid()</c>.</summary>
    Auto,

    /// <summary>Apply the Supabase parts whatever the detection says.</summary>
    On,

    /// <summary>Never apply them.</summary>
    Off,
}
