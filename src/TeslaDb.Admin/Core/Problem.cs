using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Admin.Core;

/// <summary>What kind of thing went wrong: it decides the exit code when the problem stops the console.</summary>
public enum ProblemKind
{
    /// <summary>The operator asked for something impossible (a bad VIN, a purge in a read-only session).</summary>
    Input,

    /// <summary>The server cannot be reached, refused the login, or went away.</summary>
    CannotConnect,

    /// <summary>The TeslaDb schema is missing or older than this tool.</summary>
    NotMigrated,

    /// <summary>The user may not read or change the TeslaDb tables.</summary>
    NotAllowed,

    /// <summary>The database refused a statement for another reason.</summary>
    Database,

    /// <summary>A bug.</summary>
    Unexpected,
}

/// <summary>What went wrong, in one line an operator can act on, and whether the session can go on.</summary>
public sealed record Problem(ProblemKind Kind, string Message, bool Fatal)
{
    /// <summary>
    /// Classifies an exception from the database: cannot connect, schema missing (not migrated), not allowed,
    /// read-only refusal, or the operator's own input. Anything else is unexpected. While starting up, anything but
    /// the operator's input is fatal: there is nothing to show.
    /// </summary>
    public static Problem From(Exception exception, NpgsqlConnectionStringBuilder target, bool startingUp)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is UserInputException input)
        {
            return new Problem(ProblemKind.Input, input.Message, Fatal: false);
        }

        if (ConnectionFailure.Describe(exception, target) is { } cannotConnect)
        {
            return new Problem(ProblemKind.CannotConnect, cannotConnect + (startingUp ? string.Empty : " Press F5 to retry."), startingUp);
        }

        if (exception.GetBaseException() is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.UndefinedColumn => new Problem(
                    ProblemKind.NotMigrated,
                    // The action first: a long database description must not push it past the screen's edge.
                    $"No TeslaDb schema (or an older one): run tesladb-migrate up against this database, then start tesladb-admin again. Database: {TeslaDbConnectionString.Describe(target)}.",
                    Fatal: true),
                PostgresErrorCodes.InsufficientPrivilege => new Problem(
                    ProblemKind.NotAllowed,
                    $"User '{target.Username}' may not read or change the TeslaDb tables ({pg.MessageText}); connect as the schema's owner or service role.",
                    startingUp),
                PostgresErrorCodes.ReadOnlySqlTransaction => new Problem(ProblemKind.Input, AdminSession.ReadOnlyMessage, Fatal: false),
                PostgresErrorCodes.QueryCanceled => new Problem(ProblemKind.Database, "The query was cancelled (statement timeout); try a narrower filter.", Fatal: false),
                PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => new Problem(
                    ProblemKind.CannotConnect, "The server closed the connection (restart or shutdown). Press F5 to retry.", startingUp),
                _ => new Problem(ProblemKind.Database, $"The database refused: {pg.MessageText} ({pg.SqlState}).", startingUp),
            };
        }

        if (exception is NpgsqlException or TimeoutException)
        {
            return new Problem(ProblemKind.CannotConnect, $"Lost the database connection ({exception.Message}). Press F5 to retry.", startingUp);
        }

        return new Problem(ProblemKind.Unexpected, $"Unexpected error: {exception.GetType().Name}: {exception.Message}", startingUp);
    }
}
