using FluentMigrator.Infrastructure;
using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Schema;
using TeslaDb.Migrations.Verify;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Runs the TeslaDb migrations in-process: what <c>tesladb-migrate</c> does, for an app that migrates at start-up.
/// Every run that writes holds a PostgreSQL advisory lock, so any number of app instances or CI jobs may call
/// <see cref="UpAsync"/> at once: each migration is applied exactly once and every caller returns normally.
/// Each migration runs in its own transaction with its version row, so a failure leaves no trace of it (one declared
/// <c>TransactionBehavior.None</c> runs statement by statement and gets its row once all succeeded), and the
/// checksum of its SQL is recorded so that a migration edited after it was applied is noticed. Every statement is
/// bounded by <see cref="MigratorOptions.StepLockTimeout"/>; a migration that times out waiting for a lock is rolled
/// back and retried (see <see cref="StepRunner"/>).
/// </summary>
public sealed class TeslaDbMigrator
{
    private readonly MigratorOptions _options;
    private readonly string _connectionString;
    private MigrationTarget? _target;

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
    /// <exception cref="ChangedMigrationsException">An applied migration's SQL changed since, and
    /// <paramref name="allowChanged"/> is false.</exception>
    public async Task<MigrationRun> UpAsync(
        long? targetVersion = null, bool allowChanged = false, IProgress<MigrationStep>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var held = await MigrationLock.AcquireAsync(_connectionString, Target, _options.LockTimeout, _options.OnWaiting, cancellationToken);
        var recorded = await VersionRecords.ReadVersionTableAsync(held.Connection, cancellationToken);
        var (target, checksums) = await ResolveAsync(held.Connection, recorded, cancellationToken);
        var changed = ChangedMigrations(recorded, checksums);
        if (changed.Count > 0 && !allowChanged)
        {
            throw new ChangedMigrationsException(changed);
        }

        if (targetVersion is { } t && t != 0 && !checksums.ContainsKey(t))
        {
            throw new UnknownMigrationVersionException(t, checksums.Keys);
        }

        // Nothing pending (what CI runs most): known from the version table and the checksums already computed, so
        // no FluentMigrator session (its own connection and version-table reads) is opened at all.
        var steps = new List<MigrationStep>();
        var anyPending = checksums.Keys.Any(v => !recorded.ContainsKey(v) && (targetVersion is null || v <= targetVersion));
        using (var session = anyPending ? Open(target, preview: false) : null)
        {
            var pending = session?.Pending(targetVersion) ?? [];
            if (pending.Any(m => m.Version == TokensAdoptionCheck.AdoptingVersion))
            {
                await TokensAdoptionCheck.EnsureAdoptableAsync(held.Connection, cancellationToken);
            }

            var runner = pending.Count > 0 ? BoundedSteps(session!, held.Connection) : null;
            foreach (var migration in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rebuild = InvalidIndexes.CreatedBy(checksums[migration.Version].UpSql);
                var step = await runner!.RunAsync(
                    migration,
                    () =>
                    {
                        // A concurrent build of this migration that failed before left its index invalid, and
                        // IF NOT EXISTS would keep it: drop it so the migration builds it again.
                        InvalidIndexes.Drop(session!, rebuild);
                        session!.Runner.MigrateUp(migration.Version);
                    },
                    cancellationToken);
                VersionRecords.RecordChecksum(held.Connection, migration.Version, checksums[migration.Version].Checksum);
                steps.Add(step);
                progress?.Report(step);
            }
        }

        // Migrations applied before checksums existed (or by a run killed between its commit and the checksum
        // update) get the checksum of their current SQL.
        foreach (var version in recorded.Values.Where(r => r.Checksum is null && checksums.ContainsKey(r.Version)).Select(r => r.Version))
        {
            VersionRecords.RecordChecksum(held.Connection, version, checksums[version].Checksum);
        }

        return new MigrationRun(steps, BuildStatus(await VersionRecords.ReadVersionTableAsync(held.Connection, cancellationToken), checksums, target));
    }

    /// <summary>Reverts the applied migrations above <paramref name="targetVersion"/> (0 reverts all), newest
    /// first, one transaction each. Refuses, changing nothing, when that would drop a table holding rows or a column
    /// holding values, unless <paramref name="allowDataLoss"/> is set.</summary>
    /// <exception cref="DataLossRefusedException">Data would be lost and <paramref name="allowDataLoss"/> is false.</exception>
    public async Task<MigrationRun> DownAsync(
        long targetVersion, bool allowDataLoss = false, IProgress<MigrationStep>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var held = await MigrationLock.AcquireAsync(_connectionString, Target, _options.LockTimeout, _options.OnWaiting, cancellationToken);
        var (target, known) = await ResolveAsync(held.Connection, await VersionRecords.ReadVersionTableAsync(held.Connection, cancellationToken), cancellationToken);
        if (!allowDataLoss)
        {
            var statements = await Task.Run(() => PreviewDown(target, targetVersion), cancellationToken);
            var losses = await DataLossCheck.FindAsync(held.Connection, statements, cancellationToken);
            if (losses.Count > 0)
            {
                throw new DataLossRefusedException(losses);
            }
        }

        var steps = new List<MigrationStep>();
        using (var session = Open(target, preview: false))
        {
            var toRevert = ToRevert(session, targetVersion);
            var runner = toRevert.Count > 0 ? BoundedSteps(session, held.Connection) : null;
            for (var i = 0; i < toRevert.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Revert one migration per call, down to the next applied one, so progress is per migration.
                var next = i + 1 < toRevert.Count ? toRevert[i + 1].Version : targetVersion;
                var step = await runner!.RunAsync(toRevert[i], () => session.Runner.MigrateDown(next), cancellationToken);
                steps.Add(step);
                progress?.Report(step);
            }
        }

        return new MigrationRun(steps, BuildStatus(await VersionRecords.ReadVersionTableAsync(held.Connection, cancellationToken), known, target));
    }

    /// <summary>Every migration with its state. Reads only: creates nothing, takes no lock.</summary>
    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var recorded = await VersionRecords.ReadVersionTableAsync(connection, cancellationToken);
        var (target, known) = await ResolveAsync(connection, recorded, cancellationToken);
        return BuildStatus(recorded, known, target);
    }

    private static MigrationStatus BuildStatus(
        Dictionary<long, VersionRecords.VersionRow> recorded, SortedDictionary<long, KnownMigration> known, MigrationTarget target)
    {
        var changed = ChangedMigrations(recorded, known).Select(m => m.Version).ToHashSet();
        var rows = known.Values
            .Select(m => recorded.TryGetValue(m.Version, out var applied)
                ? new MigrationState(m.Version, m.Description, true, applied.AppliedOn, IsChanged: changed.Contains(m.Version))
                : new MigrationState(m.Version, m.Description, false, null))
            .Concat(recorded.Values
                .Where(r => !known.ContainsKey(r.Version))
                .Select(r => new MigrationState(r.Version, r.Description, true, r.AppliedOn, IsKnown: false)))
            .OrderBy(m => m.Version)
            .ToList();
        return new MigrationStatus(rows, target.Supabase);
    }

    /// <summary>Compares the live schema with the one the migrations define (and the checksums of the applied
    /// migrations with their current SQL). Reads only.</summary>
    public async Task<VerifyReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var status = await GetStatusAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var invalid = await InvalidIndexes.FindAsync(connection, cancellationToken);
        if (!status.IsUpToDate)
        {
            return new VerifyReport(status, [], invalid);
        }

        var found = await SchemaCatalog.CaptureAsync(connection, status.Supabase, cancellationToken);
        return new VerifyReport(status, SchemaCatalog.Compare(ExpectedSchema.Load(status.Supabase), found), invalid);
    }

    /// <summary>The exact SQL <see cref="UpAsync"/> would run now, without running it.</summary>
    public async Task<MigrationScript> ScriptAsync(long? targetVersion = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var (target, _) = await ResolveAsync(connection, await VersionRecords.ReadVersionTableAsync(connection, cancellationToken), cancellationToken);
        var versionTableExists = await VersionRecords.VersionTableExistsAsync(connection, cancellationToken);
        return await Task.Run(
            () =>
            {
                var capture = new SqlCapture { Echo = Trace };
                using var session = FluentSession.Open(_options, _connectionString, target, preview: true, capture);
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

                var limits = FluentSession.StepLimitStatements(_options.StepLockTimeout, _options.StatementTimeout);
                return new MigrationScript(versionTable, migrations) { SessionStatements = limits };
            },
            cancellationToken);
    }

    private FluentSession Open(MigrationTarget target, bool preview) =>
        FluentSession.Open(_options, _connectionString, target, preview, new SqlCapture { Echo = Trace });

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The target (Supabase or not) and every migration's checksum under it. When applied migrations differ from
    /// their code under this target and match it under the other one, the database was migrated in the other mode:
    /// refused, naming the mode, rather than reported as edited code (and never applied on top in the wrong mode). The other mode is computed only when something differs, so a run with nothing changed pays nothing.
    /// </summary>
    /// <exception cref="SupabaseModeMismatchException">The database was migrated in the other Supabase mode.</exception>
    private async Task<(MigrationTarget Target, SortedDictionary<long, KnownMigration> Known)> ResolveAsync(
        NpgsqlConnection connection, Dictionary<long, VersionRecords.VersionRow> recorded, CancellationToken cancellationToken)
    {
        var target = await ResolveTargetAsync(connection, cancellationToken);
        var known = await Task.Run(() => ComputeChecksums(target), cancellationToken);
        var changed = ChangedMigrations(recorded, known);
        if (changed.Count > 0)
        {
            // A migration recorded with the other mode's checksum was applied in that mode, whatever else changed:
            // refused even with allowChanged, which would apply the pending ones in the wrong mode.
            var other = new MigrationTarget(!target.Supabase);
            var otherKnown = await Task.Run(() => ComputeChecksums(other), cancellationToken);
            var inOtherMode = changed.Where(m => otherKnown.TryGetValue(m.Version, out var o) && o.Checksum == recorded[m.Version].Checksum).ToList();
            if (inOtherMode.Count > 0)
            {
                throw new SupabaseModeMismatchException(appliedWithSupabase: other.Supabase, requested: _options.Supabase, inOtherMode);
            }
        }

        return (target, known);
    }

    private async Task<MigrationTarget> ResolveTargetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_target is not null)
        {
            return _target;
        }

        var supabase = _options.Supabase switch
        {
            SupabaseMode.On => true,
            SupabaseMode.Off => false,
            _ => await VersionRecords.ScalarAsync<bool>(connection, MigrationTarget.DetectSupabaseSql, cancellationToken),
        };
        return _target = new MigrationTarget(supabase);
    }

    /// <summary>Every migration of the assemblies with the checksum of the SQL its Up generates.</summary>
    private SortedDictionary<long, KnownMigration> ComputeChecksums(MigrationTarget target)
    {
        var capture = new SqlCapture();
        using var session = FluentSession.Open(_options, _connectionString, target, preview: true, capture);
        var checksums = new SortedDictionary<long, KnownMigration>();
        foreach (var migration in session.Migrations)
        {
            var description = FluentSession.Describe(migration);
            var sql = session.PreviewUp(migration, capture);
            checksums[migration.Version] = new KnownMigration(migration.Version, description, MigrationChecksum.Of(migration.Version, description, sql), sql);
        }

        return checksums;
    }

    private static List<MigrationState> ChangedMigrations(
        Dictionary<long, VersionRecords.VersionRow> recorded, SortedDictionary<long, KnownMigration> current) =>
        [.. recorded.Values
            .Where(r => r.Checksum is not null && current.TryGetValue(r.Version, out var now) && now.Checksum != r.Checksum)
            .Select(r => new MigrationState(r.Version, current[r.Version].Description, true, r.AppliedOn, IsChanged: true))];

    private static List<IMigrationInfo> ToRevert(FluentSession session, long targetVersion)
    {
        session.EnsureKnown(targetVersion);
        var applied = session.AppliedVersions;
        return [.. session.Migrations.Where(m => applied.Contains(m.Version) && m.Version > targetVersion).OrderByDescending(m => m.Version)];
    }

    /// <summary>The SQL a down to <paramref name="targetVersion"/> would run, generated in preview mode.</summary>
    private IReadOnlyList<string> PreviewDown(MigrationTarget target, long targetVersion)
    {
        var capture = new SqlCapture();
        using var session = FluentSession.Open(_options, _connectionString, target, preview: true, capture);
        foreach (var migration in ToRevert(session, targetVersion))
        {
            session.Runner.ApplyMigrationDown(migration, FluentSession.UsesTransaction(migration));
        }

        return capture.Drain();
    }

    /// <summary>Runs migrations on <paramref name="session"/> with every statement bounded by the step lock timeout,
    /// watched from the lock session <paramref name="observer"/> (idle while a step runs).</summary>
    private StepRunner BoundedSteps(FluentSession session, NpgsqlConnection observer) =>
        new(_options, session, session.ApplyStepLimits(_options.StepLockTimeout, _options.StatementTimeout), observer, Target.Username);
}
