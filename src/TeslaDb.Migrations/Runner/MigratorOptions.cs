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

    /// <summary>Time limit of each SQL command; null (the default) waits as long as a statement takes, since an
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
