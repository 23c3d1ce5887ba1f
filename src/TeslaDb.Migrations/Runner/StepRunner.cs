using System.Diagnostics;
using System.Text.RegularExpressions;
using FluentMigrator.Infrastructure;
using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Runs one migration (up or down) so that it never blocks production for long: every statement is bounded by
/// <c>lock_timeout</c> (set on the session by <see cref="FluentSession.ApplyStepLimits"/>). When a statement times
/// out waiting for a lock, FluentMigrator has rolled the migration's transaction back; the step waits with back-off
/// and runs again, a bounded number of times, while <see cref="BlockerWatch"/> notes who held the lock.
/// </summary>
internal sealed partial class StepRunner(MigratorOptions options, FluentSession session, int sessionPid, NpgsqlConnection observer, string? login)
{
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(30);

    public async Task<MigrationStep> RunAsync(IMigrationInfo migration, Action apply, CancellationToken cancellationToken)
    {
        var description = FluentSession.Describe(migration);
        var transactional = FluentSession.UsesTransaction(migration);
        var attempts = Math.Max(1, options.StepLockAttempts);
        var backoff = new Backoff(options.StepRetryDelay, LongestRetryDelay);
        var elapsed = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            var watch = BlockerWatch.Start(observer, sessionPid, WatchInterval);
            try
            {
                await Task.Run(apply, cancellationToken);
                return new MigrationStep(migration.Version, description, elapsed.Elapsed);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                // Stopped before anything else uses the observer (the lock session) again.
                await watch.DisposeAsync();
            }

            var sighting = watch.Last;
            if (session.ConnectionLost)
            {
                throw new MigrationConnectionLostException(migration.Version, description, transactional, failure);
            }

            if (FindPostgresError(failure) is not { SqlState: PostgresErrorCodes.LockNotAvailable } lockTimeout)
            {
                throw new MigrationFailedException(migration.Version, description, transactional, failure, login);
            }

            var table = sighting?.Table ?? TableOf(lockTimeout);
            var blockers = sighting?.Blockers is { Count: > 0 } seen ? seen
                : table is null ? []
                : await BlockerWatch.HoldersAsync(observer, table, sessionPid);
            if (attempt >= attempts)
            {
                throw new StepLockTimeoutException(migration.Version, description, transactional, table, blockers, attempts, options.StepLockTimeout);
            }

            var delay = backoff.Next();
            options.OnStepRetry?.Invoke(new StepRetry(migration.Version, description, attempt, attempts, table, blockers, delay));
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Often enough to see a wait before <c>lock_timeout</c> ends it.</summary>
    private TimeSpan WatchInterval =>
        TimeSpan.FromTicks(Math.Clamp(options.StepLockTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMilliseconds(250).Ticks));

    internal static PostgresException? FindPostgresError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    /// <summary>The table a statement names, for when the step was never seen waiting (a short lock timeout).</summary>
    private static string? TableOf(PostgresException e) =>
        e.TableName is { Length: > 0 } name ? name
        : e.BatchCommand?.CommandText is { } sql && TableInStatement().Match(sql) is { Success: true } match ? AsRegclassText(match.Groups["table"].Value)
        : null;

    // Named as the watch names it (regclass::text): unquoted, without the public schema on the search path.
    private static string AsRegclassText(string name)
    {
        var plain = name.Replace("\"", string.Empty, StringComparison.Ordinal);
        return plain.StartsWith("public.", StringComparison.OrdinalIgnoreCase) ? plain["public.".Length..] : plain;
    }

    [GeneratedRegex("""(?:ALTER\s+TABLE|LOCK\s+TABLE|INDEX\s.*?\sON|INTO|UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)*(?<table>"?[\w$]+"?(?:\."?[\w$]+"?)?)""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TableInStatement();
}
