using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>Maps what went wrong to one line for a person and an exit code for a script.</summary>
internal static class ErrorReport
{
    public static (int ExitCode, string Message) Classify(Exception exception, NpgsqlConnectionStringBuilder? target, bool verbose = false)
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
                return (ExitCodes.LockTimeout, $"{exception.Message} (--lock-timeout sets how long to wait)");
            case StepLockTimeoutException:
                return (ExitCodes.StepLockTimeout, $"{exception.Message} (--step-lock-timeout and --step-lock-attempts set how long and how often it tries)");
            case MigrationConnectionLostException:
                return (ExitCodes.MigrationFailed, $"{exception.Message} (rerun: {MigrateCommand.Name} up)");
            // The library's messages name no flags (apps call it too): the command adds its own.
            case DataLossRefusedException:
                return (ExitCodes.DataLossRefused, $"{exception.Message} (--allow-data-loss)");
            case ChangedMigrationsException:
                return (ExitCodes.ChangedMigrations, $"{exception.Message} ('{MigrateCommand.Name} verify', then --allow-changed)");
            case TokensNotAdoptableException:
                return (ExitCodes.MigrationFailed, exception.Message);
            case SupabaseModeMismatchException:
                return (ExitCodes.ChangedMigrations, exception.Message);
            case StandbyRefusedException:
                return (ExitCodes.Standby, exception.Message);
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

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied)
            {
                return (ExitCodes.MigrationFailed, exception is MigrationFailedException ? exception.Message : PostgresProblem.Describe(denied, target?.Username));
            }
        }

        return exception is MigrationFailedException
            ? (ExitCodes.MigrationFailed, exception.Message)
            : (ExitCodes.MigrationFailed, $"Unexpected error: {exception.Message}{(verbose ? " (details below)" : " (run again with --verbose for details)")}");
    }
}
