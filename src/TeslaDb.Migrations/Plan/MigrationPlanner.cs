using System.Reflection;
using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Plan;

/// <summary>
/// <c>tesladb-migrate plan</c> as a library: the statements <c>up</c> would run (or every migration's), each with
/// the lock it takes, its table's estimated rows, whether it scans or rewrites, and the lint rules it breaks.
/// Reads only: takes no migration lock, writes nothing. The SQL is FluentMigrator's preview, the same text the
/// checksums are computed from.
/// </summary>
public sealed class MigrationPlanner
{
    private readonly MigratorOptions _options;
    private readonly string _connectionString;

    /// <exception cref="ConnectionStringException">The connection string cannot be parsed.</exception>
    public MigrationPlanner(MigratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var builder = TeslaDbConnectionString.Parse(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "tesladb-migrate plan";
        }

        _connectionString = builder.ConnectionString;
    }

    /// <summary>Plans the pending migrations, or every migration when <paramref name="all"/> is set (the lint of a
    /// whole project: the rules do not depend on what is applied).</summary>
    public async Task<MigrationPlan> PlanAsync(bool all = false, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var supabase = _options.Supabase switch
        {
            SupabaseMode.On => true,
            SupabaseMode.Off => false,
            _ => await DetectSupabaseAsync(connection, cancellationToken),
        };
        var sources = await Task.Run(() => ReadSources(new MigrationTarget(supabase), all), cancellationToken);
        var catalog = await CatalogFacts.ReadAsync(connection, cancellationToken);
        if (all)
        {
            // A CHECK (col IS NOT NULL) in today's schema may come from a later migration: it proves nothing for an
            // older one's SET NOT NULL, so --all relies only on what the migrations themselves add and validate.
            catalog.ProvenNotNull.Clear();
        }

        return PlanBuilder.Build(sources, catalog, supabase);
    }

    /// <summary>Each migration's Up SQL, previewed (nothing runs), with its transaction mode and acknowledgements.</summary>
    private List<MigrationSource> ReadSources(MigrationTarget target, bool all)
    {
        var capture = new SqlCapture();
        using var session = FluentSession.Open(_options, _connectionString, target, preview: true, capture);
        var migrations = all ? session.Migrations : session.Pending(null);
        return [.. migrations.Select(m => new MigrationSource(
            m.Version,
            FluentSession.Describe(m),
            FluentSession.UsesTransaction(m),
            session.PreviewUp(m, capture),
            [.. m.Migration.GetType().GetCustomAttributes<LintAllowAttribute>()])
        {
            DownCommands = all ? PreviewDown(session, m, capture) : null,
        })];
    }

    /// <summary>The SQL of one migration's Down, previewed like its Up (nothing runs, nothing is recorded).</summary>
    private static IReadOnlyList<string> PreviewDown(FluentSession session, FluentMigrator.Infrastructure.IMigrationInfo migration, SqlCapture capture)
    {
        _ = capture.Drain();
        try
        {
            session.Runner.Down(migration.Migration);
        }
        catch (Exception e) when (e is NotSupportedException or NotImplementedException)
        {
            // An irreversible migration's Down throws by design (FluentMigrator's auto-reversal throws
            // NotSupportedException for what it cannot reverse): 'down' past it fails before dropping anything, so
            // there is nothing for the data-loss guard (or the lint) to read. Anything else is a real failure and
            // surfaces.
            _ = capture.Drain();
            return [];
        }

        return capture.Drain();
    }

    private static async Task<bool> DetectSupabaseAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(MigrationTarget.DetectSupabaseSql, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
