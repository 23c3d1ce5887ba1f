using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace TeslaDb.Migrations.Scheduling;

/// <summary>A cleanup job as pg_cron holds it.</summary>
public sealed record ScheduledCleanup(long JobId, string JobName, string Schedule, string CronDatabase, string TargetDatabase, string Command);

/// <summary>
/// Schedules the batched cleanup, <c>CALL public.cleanup_expired_cache_in_batches(batch_size)</c>, with pg_cron: each
/// batch commits on its own, so a run over a large backlog holds at most <c>batch_size</c> row locks at a time and
/// writes WAL in bounded bursts (pg_cron runs the CALL outside a transaction block, as COMMIT needs). pg_cron lives in one database of the server
/// (<c>cron.database_name</c>; on Supabase that is <c>postgres</c>, the app's own database): when it is not the one we
/// are connected to, the job is created there with <c>cron.schedule_in_database</c> to run in ours.
/// </summary>
public static partial class CleanupSchedule
{
    /// <summary>Rows per batch (per transaction) when none is given: a few MB of WAL, locks held for tens of ms.</summary>
    public const int DefaultBatchSize = 5000;

    /// <summary>What the job runs.</summary>
    public static string Command(int batchSize) =>
        string.Create(CultureInfo.InvariantCulture, $"CALL public.cleanup_expired_cache_in_batches({batchSize})");
    public const string BaseJobName = "tesladb-cleanup-expired-cache";

    [GeneratedRegex("^(?<n>[0-9]{1,3})(?<unit>m|min|h|d)$", RegexOptions.IgnoreCase)]
    private static partial Regex Interval();

    /// <summary>Turns "15m", "2h" or "1d" into a cron expression.</summary>
    /// <exception cref="InvalidScheduleException">Not an interval cron can express evenly.</exception>
    public static string ToCron(string every)
    {
        ArgumentNullException.ThrowIfNull(every);
        var match = Interval().Match(every.Trim());
        var n = match.Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
        var unit = match.Success ? match.Groups["unit"].Value.ToLowerInvariant() : string.Empty;
        return unit switch
        {
            "m" or "min" when n is >= 1 and <= 30 && 60 % n == 0 => n == 1 ? "* * * * *" : $"*/{n} * * * *",
            "h" when n is >= 1 and <= 12 && 24 % n == 0 => n == 1 ? "0 * * * *" : $"0 */{n} * * *",
            "d" when n == 1 => "0 0 * * *",
            _ => throw new InvalidScheduleException(
                $"--every '{every}' is not an interval cron can repeat evenly: use minutes dividing 60 (1m, 5m, 15m, 30m), hours dividing 24 (1h, 2h, 6h, 12h), or 1d; or give a cron expression with --cron."),
        };
    }

    /// <summary>Creates or replaces the cleanup job for the database of <paramref name="connectionString"/>.</summary>
    /// <exception cref="CronUnavailableException">pg_cron is not available on this server.</exception>
    /// <exception cref="InvalidScheduleException"><paramref name="batchSize"/> is below 1.</exception>
    public static async Task<ScheduledCleanup> ScheduleAsync(
        string connectionString, string cron, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        if (batchSize < 1)
        {
            throw new InvalidScheduleException($"--batch-size {batchSize.ToString(CultureInfo.InvariantCulture)} is not a number of rows: give 1 or more (default {DefaultBatchSize.ToString(CultureInfo.InvariantCulture)}).");
        }

        var jobCommand = Command(batchSize);
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT to_regprocedure('public.cleanup_expired_cache_in_batches(integer,bigint)') IS NOT NULL", cancellationToken))
        {
            throw new NotMigratedException("public.cleanup_expired_cache_in_batches() does not exist in this database: run 'tesladb-migrate up' first.");
        }

        var (cronConnection, owned) = await LocateCronAsync(connection, connectionString, cancellationToken);
        try
        {
            var database = connection.Database;
            var name = JobName(cronConnection, database);
            var sql = owned
                ? "SELECT cron.schedule_in_database(@name, @schedule, @command, @database)"
                : "SELECT cron.schedule(@name, @schedule, @command)";
            await using var command = new NpgsqlCommand(sql, cronConnection);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("schedule", cron);
            command.Parameters.AddWithValue("command", jobCommand);
            command.Parameters.AddWithValue("database", database);
            var jobId = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return new ScheduledCleanup(jobId, name, cron, cronConnection.Database, database, jobCommand);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            throw new InvalidScheduleException($"pg_cron rejected the schedule '{cron}': {e.MessageText}", e);
        }
        finally
        {
            if (owned)
            {
                await cronConnection.DisposeAsync();
            }
        }
    }

    /// <summary>Removes the cleanup job of this database; false when there was none.</summary>
    public static async Task<bool> UnscheduleAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        var (cronConnection, owned) = await LocateCronAsync(connection, connectionString, cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT count(cron.unschedule(jobid)) FROM cron.job WHERE jobname = @name", cronConnection);
            command.Parameters.AddWithValue("name", JobName(cronConnection, connection.Database));
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        }
        finally
        {
            if (owned)
            {
                await cronConnection.DisposeAsync();
            }
        }
    }

    // One job per target database: the plain name where pg_cron lives in the target itself (Supabase).
    private static string JobName(NpgsqlConnection cronConnection, string targetDatabase) =>
        cronConnection.Database == targetDatabase ? BaseJobName : $"{BaseJobName}/{targetDatabase}";

    /// <summary>The connection on which to call pg_cron: ours, or a new one (owned) to pg_cron's database.</summary>
    private static async Task<(NpgsqlConnection Connection, bool Owned)> LocateCronAsync(
        NpgsqlConnection connection, string connectionString, CancellationToken cancellationToken)
    {
        if (await ScalarAsync<bool>(connection, "SELECT to_regprocedure('cron.schedule(text,text,text)') IS NOT NULL", cancellationToken))
        {
            return (connection, false);
        }

        var cronDatabase = await ScalarAsync<string?>(connection, "SELECT current_setting('cron.database_name', true)", cancellationToken);
        if (string.IsNullOrEmpty(cronDatabase))
        {
            throw new CronUnavailableException(
                "pg_cron is not available on this server. Run the cleanup from an external scheduler instead, e.g. the crontab line "
                + $"*/15 * * * * psql \"$TESLADB_CONNECTION\" -c '{Command(DefaultBatchSize)}' (on Supabase, enable pg_cron under Database > Extensions).");
        }

        var other = await OpenAsync(new NpgsqlConnectionStringBuilder(connectionString) { Database = cronDatabase }.ConnectionString, cancellationToken);
        if (!await ScalarAsync<bool>(other, "SELECT to_regprocedure('cron.schedule_in_database(text,text,text,text,text,boolean)') IS NOT NULL", cancellationToken))
        {
            await other.DisposeAsync();
            throw new CronUnavailableException(
                $"pg_cron is loaded but not created in its database '{cronDatabase}': run CREATE EXTENSION pg_cron there (pg_cron 1.4 or later), or schedule '{Command(DefaultBatchSize)}' from an external cron.");
        }

        return (other, true);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? default! : (T)value!;
    }
}

/// <summary>pg_cron cannot be used on this server; the message says how to run the cleanup instead.</summary>
public sealed class CronUnavailableException : Exception
{
    public CronUnavailableException(string message)
        : base(message)
    {
    }

    public CronUnavailableException()
    {
    }

    public CronUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An interval or cron expression that cannot be scheduled.</summary>
public sealed class InvalidScheduleException : ArgumentException
{
    public InvalidScheduleException(string message)
        : base(message)
    {
    }

    public InvalidScheduleException()
    {
    }

    public InvalidScheduleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The database lacks what the migrations create: <c>up</c> has not run.</summary>
public sealed class NotMigratedException : Exception
{
    public NotMigratedException(string message)
        : base(message)
    {
    }

    public NotMigratedException()
    {
    }

    public NotMigratedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
