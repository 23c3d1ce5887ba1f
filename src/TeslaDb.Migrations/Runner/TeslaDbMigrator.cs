using System.Diagnostics;
using FluentMigrator.Infrastructure;
using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Runs the TeslaDb migrations in-process: what <c>tesladb-migrate</c> does, for an app that migrates at start-up.
/// Every run that writes holds a PostgreSQL advisory lock, so any number of app instances or CI jobs may call
/// <see cref="UpAsync"/> at once: each migration is applied exactly once and every caller returns normally.
/// Each migration runs in its own transaction with its version row, so a failure leaves no trace of it.
/// </summary>
public sealed class TeslaDbMigrator
{
    private const string VersionTableName = $"{SchemaNames.VersionSchema}.{SchemaNames.VersionTable}";

    private readonly MigratorOptions _options;
    private readonly string _connectionString;

    /// <exception cref="ConnectionStringException">The connection string cannot be parsed.</exception>
    public TeslaDbMigrator(MigratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var builder = TeslaDbConnectionString.Parse(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Named so that a waiting run (and a DBA in pg_stat_activity) can tell who holds the lock.
            builder.ApplicationName = "tesladb-migrate";
        }

        Target = builder;
        _connectionString = builder.ConnectionString;
    }

    /// <summary>Where this migrator connects (holds the password: describe it with <see cref="TeslaDbConnectionString.Describe"/>).</summary>
    public NpgsqlConnectionStringBuilder Target { get; }

    /// <summary>Also called with FluentMigrator's own messages and SQL when set (the --verbose output).</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>Applies the pending migrations up to <paramref name="targetVersion"/> (all when null), one
    /// transaction each, reporting each one as it completes.</summary>
    public async Task<IReadOnlyList<MigrationStep>> UpAsync(
        long? targetVersion = null, IProgress<MigrationStep>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var _ = await MigrationLock.AcquireAsync(_connectionString, _options.LockTimeout, _options.OnWaiting, cancellationToken);
        return await Task.Run(
            () =>
            {
                using var session = Open(preview: false);
                if (targetVersion is { } t)
                {
                    session.EnsureKnown(t);
                }

                var steps = new List<MigrationStep>();
                foreach (var migration in session.Pending(targetVersion))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    steps.Add(Run(migration, progress, () => session.Runner.MigrateUp(migration.Version)));
                }

                return steps;
            },
            cancellationToken);
    }

    /// <summary>Reverts the applied migrations above <paramref name="targetVersion"/> (0 reverts all), newest
    /// first, one transaction each. Refuses, changing nothing, when that would drop a table holding rows or a column
    /// holding values, unless <paramref name="allowDataLoss"/> is set.</summary>
    /// <exception cref="DataLossRefusedException">Data would be lost and <paramref name="allowDataLoss"/> is false.</exception>
    public async Task<IReadOnlyList<MigrationStep>> DownAsync(
        long targetVersion, bool allowDataLoss = false, IProgress<MigrationStep>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var _ = await MigrationLock.AcquireAsync(_connectionString, _options.LockTimeout, _options.OnWaiting, cancellationToken);
        if (!allowDataLoss)
        {
            var statements = await Task.Run(() => PreviewDown(targetVersion), cancellationToken);
            var losses = await DataLossCheck.FindAsync(_connectionString, statements, cancellationToken);
            if (losses.Count > 0)
            {
                throw new DataLossRefusedException(losses);
            }
        }

        return await Task.Run(
            () =>
            {
                using var session = Open(preview: false);
                var toRevert = ToRevert(session, targetVersion);
                var steps = new List<MigrationStep>();
                for (var i = 0; i < toRevert.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Revert one migration per call, down to the next applied one, so progress is per migration.
                    var next = i + 1 < toRevert.Count ? toRevert[i + 1].Version : targetVersion;
                    steps.Add(Run(toRevert[i], progress, () => session.Runner.MigrateDown(next)));
                }

                return steps;
            },
            cancellationToken);
    }

    private static List<IMigrationInfo> ToRevert(FluentSession session, long targetVersion)
    {
        session.EnsureKnown(targetVersion);
        var applied = session.AppliedVersions;
        return [.. session.Migrations.Where(m => applied.Contains(m.Version) && m.Version > targetVersion).OrderByDescending(m => m.Version)];
    }

    /// <summary>The SQL a down to <paramref name="targetVersion"/> would run, generated in preview mode.</summary>
    private IReadOnlyList<string> PreviewDown(long targetVersion)
    {
        var capture = new SqlCapture();
        using var session = FluentSession.Open(_options, _connectionString, preview: true, capture);
        foreach (var migration in ToRevert(session, targetVersion))
        {
            session.Runner.ApplyMigrationDown(migration, FluentSession.UsesTransaction(migration));
        }

        return capture.Drain();
    }

    /// <summary>Every migration with its state. Reads only: creates nothing, takes no lock.</summary>
    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var recorded = await ReadVersionTableAsync(cancellationToken);
        var known = await Task.Run(
            () =>
            {
                using var session = Open(preview: true);
                return session.Migrations.Select(m => (m.Version, Description: FluentSession.Describe(m))).ToList();
            },
            cancellationToken);

        var rows = known
            .Select(m => recorded.TryGetValue(m.Version, out var applied)
                ? new MigrationState(m.Version, m.Description, true, applied.AppliedOn)
                : new MigrationState(m.Version, m.Description, false, null))
            .Concat(recorded.Values
                .Where(r => known.All(m => m.Version != r.Version))
                .Select(r => new MigrationState(r.Version, r.Description, true, r.AppliedOn, IsKnown: false)))
            .OrderBy(m => m.Version)
            .ToList();
        return new MigrationStatus(rows);
    }

    /// <summary>The exact SQL <see cref="UpAsync"/> would run now, without running it.</summary>
    public async Task<MigrationScript> ScriptAsync(long? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var versionTableExists = await VersionTableExistsAsync(cancellationToken);
        return await Task.Run(
            () =>
            {
                var capture = new SqlCapture { Echo = Trace };
                using var session = FluentSession.Open(_options, _connectionString, preview: true, capture);
                if (targetVersion is { } t)
                {
                    session.EnsureKnown(t);
                }

                var pending = session.Pending(targetVersion);
                _ = capture.Drain(); // FluentMigrator's own preview of the version table: we create it ourselves
                var versionTable = versionTableExists ? [] : new[] { TeslaDbVersionTable.CreateSql };
                var migrations = new List<ScriptedMigration>();
                foreach (var migration in pending)
                {
                    var transactional = FluentSession.UsesTransaction(migration);
                    session.Runner.ApplyMigrationUp(migration, transactional);
                    migrations.Add(new ScriptedMigration(migration.Version, FluentSession.Describe(migration), transactional, capture.Drain()));
                }

                return new MigrationScript(versionTable, migrations);
            },
            cancellationToken);
    }

    private FluentSession Open(bool preview) =>
        FluentSession.Open(_options, _connectionString, preview, new SqlCapture { Echo = Trace });

    private static MigrationStep Run(IMigrationInfo migration, IProgress<MigrationStep>? progress, Action action)
    {
        var description = FluentSession.Describe(migration);
        var watch = Stopwatch.StartNew();
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw new MigrationFailedException(migration.Version, description, e);
        }

        var step = new MigrationStep(migration.Version, description, watch.Elapsed);
        progress?.Report(step);
        return step;
    }

    private async Task<bool> VersionTableExistsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await VersionTableExistsAsync(connection, cancellationToken);
    }

    private static async Task<bool> VersionTableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{VersionTableName}') IS NOT NULL", connection);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<Dictionary<long, (long Version, string Description, DateTimeOffset? AppliedOn)>> ReadVersionTableAsync(
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!await VersionTableExistsAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var command = new NpgsqlCommand($"SELECT version, coalesce(description, ''), applied_on FROM {VersionTableName}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<long, (long, string, DateTimeOffset?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // FluentMigrator writes applied_on as a UTC timestamp without time zone.
            DateTimeOffset? appliedOn = reader.IsDBNull(2)
                ? null
                : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
            rows[reader.GetInt64(0)] = (reader.GetInt64(0), reader.GetString(1), appliedOn);
        }

        return rows;
    }
}
