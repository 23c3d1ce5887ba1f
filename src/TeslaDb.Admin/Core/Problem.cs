using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Admin.Core;

/// <summary>What went wrong, in one line an operator can act on, and whether the session can go on.</summary>
public sealed record Problem(string Message, bool Fatal)
{
    /// <summary>
    /// Classifies an exception from the database: cannot connect, schema missing (not migrated), not allowed,
    /// read-only refusal, or the operator's own input. Anything else is unexpected and says where the details are.
    /// </summary>
    public static Problem From(Exception exception, NpgsqlConnectionStringBuilder target, bool startingUp)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is UserInputException input)
        {
            return new Problem(input.Message, Fatal: false);
        }

        if (ConnectionFailure.Describe(exception, target) is { } cannotConnect)
        {
            return new Problem(cannotConnect + (startingUp ? string.Empty : " Press F5 to retry."), Fatal: startingUp);
        }

        if (exception.GetBaseException() is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.UndefinedColumn => new Problem(
                    $"{TeslaDbConnectionString.Describe(target)} has no TeslaDb schema (or an older one): run tesladb-migrate up against it, then start tesladb-admin again.",
                    Fatal: true),
                PostgresErrorCodes.InsufficientPrivilege => new Problem(
                    $"User '{target.Username}' may not read or change the TeslaDb tables ({pg.MessageText}); connect as the schema's owner or service role.",
                    Fatal: startingUp),
                PostgresErrorCodes.ReadOnlySqlTransaction => new Problem(AdminSession.ReadOnlyMessage, Fatal: false),
                PostgresErrorCodes.QueryCanceled => new Problem("The query was cancelled (statement timeout); try a narrower filter.", Fatal: false),
                PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => new Problem(
                    "The server closed the connection (restart or shutdown). Press F5 to retry.", Fatal: startingUp),
                _ => new Problem($"The database refused: {pg.MessageText} ({pg.SqlState}).", Fatal: startingUp),
            };
        }

        if (exception is NpgsqlException or TimeoutException)
        {
            return new Problem($"Lost the database connection ({exception.Message}). Press F5 to retry.", Fatal: startingUp);
        }

        return new Problem($"Unexpected error: {exception.GetType().Name}: {exception.Message}", Fatal: startingUp);
    }
}
