using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>Maps what went wrong to one line for a person and an exit code for a script.</summary>
internal static class ErrorReport
{
    public static (int ExitCode, string Message) Classify(Exception exception, NpgsqlConnectionStringBuilder? target)
    {
        switch (exception)
        {
            case ConnectionStringException or UnknownMigrationVersionException or Scheduling.InvalidScheduleException:
                return (ExitCodes.Usage, exception.Message);
            case Scheduling.NotMigratedException:
                return (ExitCodes.PendingMigrations, exception.Message);
            case Scheduling.CronUnavailableException:
                return (ExitCodes.CronUnavailable, exception.Message);
            case MigrationLockTimeoutException:
                return (ExitCodes.LockTimeout, exception.Message);
            case DataLossRefusedException:
                return (ExitCodes.DataLossRefused, exception.Message);
            case ChangedMigrationsException:
                return (ExitCodes.ChangedMigrations, exception.Message);
            case TransactionPoolerException:
                return (ExitCodes.TransactionPooler, exception.Message);
            case Access.Tokens.TokenKeyException:
                return (ExitCodes.TokenKey, exception.Message);
            case OperationCanceledException:
                return (ExitCodes.Cancelled, "Cancelled; the migration in progress, if any, was rolled back.");
        }

        if (target is not null && ConnectionFailure.Describe(exception, target) is { } connection)
        {
            return (ExitCodes.CannotConnect, connection);
        }

        return exception is MigrationFailedException
            ? (ExitCodes.MigrationFailed, exception.Message)
            : (ExitCodes.MigrationFailed, $"Unexpected error: {exception.Message} (run again with --verbose for details)");
    }
}
