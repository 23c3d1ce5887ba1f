using FluentMigrator;
using FluentMigrator.Infrastructure;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// One FluentMigrator runner over one connection, configured the TeslaDb way: PostgreSQL 15 dialect, our version
/// table, one transaction per migration, our assemblies only. In preview mode nothing is executed and the SQL is
/// only captured.
/// </summary>
internal sealed class FluentSession : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IServiceScope _scope;

    private FluentSession(ServiceProvider services)
    {
        _services = services;
        _scope = services.CreateScope();
        Runner = (MigrationRunner)_scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
    }

    public MigrationRunner Runner { get; }

    public static FluentSession Open(MigratorOptions options, string connectionString, MigrationTarget target, bool preview, SqlCapture capture)
    {
        var services = new ServiceCollection()
            .AddSingleton(target)
            .AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(capture))
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                runner.AddPostgres15_0()
                    .WithGlobalConnectionString(connectionString)
                    .WithVersionTable(new TeslaDbVersionTable())
                    .ScanIn([.. options.MigrationAssemblies]).For.Migrations();
                // 0 tells Npgsql "no limit"; FluentMigrator's own default would be 30 s.
                runner.WithGlobalCommandTimeout(options.CommandTimeout ?? TimeSpan.Zero);
                if (preview)
                {
                    runner.AsGlobalPreview();
                }
            })
            .Configure<RunnerOptions>(runner => runner.TransactionPerSession = false)
            .Configure<TypeFilterOptions>(filter =>
            {
                filter.Namespace = options.MigrationNamespace;
                filter.NestedNamespaces = true;
            })
            .BuildServiceProvider(validateScopes: true);
        return new FluentSession(services);
    }

    /// <summary>Every migration of the assemblies, by version.</summary>
    public IReadOnlyList<IMigrationInfo> Migrations => [.. Runner.MigrationLoader.LoadMigrations().Values];

    /// <summary>The versions the database records as applied (reads, or in preview previews, the version table).</summary>
    public IReadOnlySet<long> AppliedVersions => Runner.VersionLoader.VersionInfo.AppliedMigrations().ToHashSet();

    /// <summary>The pending migrations up to <paramref name="target"/> (all when null), in order.</summary>
    public IReadOnlyList<IMigrationInfo> Pending(long? target)
    {
        var applied = AppliedVersions;
        return [.. Migrations.Where(m => !applied.Contains(m.Version) && (target is null || m.Version <= target))];
    }

    /// <summary>
    /// The SQL of one migration's Up, generated in a preview session: the same text whatever the database holds
    /// (the version row is not part of it). The basis of the checksums.
    /// </summary>
    public IReadOnlyList<string> PreviewUp(IMigrationInfo migration, SqlCapture capture)
    {
        _ = capture.Drain();
        Runner.Up(migration.Migration); // runs as a non-versioned migration: preview logs its SQL, records nothing
        return capture.Drain();
    }

    /// <summary>Throws when <paramref name="version"/> is neither 0 nor a migration's version.</summary>
    public void EnsureKnown(long version)
    {
        var known = Migrations.Select(m => m.Version).ToList();
        if (version != 0 && !known.Contains(version))
        {
            throw new UnknownMigrationVersionException(version, known);
        }
    }

    /// <summary>
    /// Bounds every statement this session runs from now on: <c>lock_timeout</c> (how long a statement may queue for
    /// a lock) and optionally <c>statement_timeout</c>. Session-level <c>SET</c>, run outside any transaction, so that
    /// it holds for transactional and non-transactional migrations alike (<c>SET LOCAL</c> would end with the first
    /// transaction). Returns the backend pid of the session, for <see cref="BlockerWatch"/>.
    /// </summary>
    public int ApplyStepLimits(TimeSpan lockTimeout, TimeSpan? statementTimeout)
    {
        foreach (var statement in StepLimitStatements(lockTimeout, statementTimeout))
        {
            Runner.Processor.Execute(statement);
        }

        using var pid = Runner.Processor.Read("SELECT pg_backend_pid()");
        return Convert.ToInt32(pid.Tables[0].Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the session's connection is gone (server restart, terminated backend): a failure is then
    /// about the connection, not the migration's SQL.</summary>
    public bool ConnectionLost =>
        Runner.Processor is FluentMigrator.Runner.Processors.GenericProcessorBase { Connection: { } connection }
        && connection.State is not System.Data.ConnectionState.Open;

    /// <summary>The session settings that bound every step, as <see cref="ApplyStepLimits"/> runs them and as
    /// <c>script</c> prints them (so a DBA who runs the script by hand gets the same bounds).</summary>
    public static IReadOnlyList<string> StepLimitStatements(TimeSpan lockTimeout, TimeSpan? statementTimeout) =>
    [
        $"SET lock_timeout = {Milliseconds(lockTimeout)}",
        $"SET statement_timeout = {(statementTimeout is { } s ? Milliseconds(s) : 0)}",
    ];

    private static long Milliseconds(TimeSpan t) => (long)Math.Max(1, Math.Ceiling(t.TotalMilliseconds));

    public static string Describe(IMigrationInfo migration) =>
        migration.Description ?? migration.Migration.GetType().Name;

    public static bool UsesTransaction(IMigrationInfo migration) =>
        migration.TransactionBehavior == TransactionBehavior.Default;

    public void Dispose()
    {
        var lost = ConnectionLost;
        try
        {
            _scope.Dispose();
        }
        catch (Exception e) when (lost && e is ObjectDisposedException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            // FluentMigrator rolls back the open transaction on dispose; with the connection gone the server already
            // did, and this error would hide the one that says what happened.
        }
        finally
        {
            _services.Dispose();
        }
    }
}
