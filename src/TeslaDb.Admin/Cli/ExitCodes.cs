namespace TeslaDb.Admin.Cli;

/// <summary>The exit codes of <c>tesladb-admin</c>, documented in the README (3 means what it means for tesladb-migrate).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected error (a bug): the message says so; --verbose shows the stack trace.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line or the connection string is wrong; nothing was attempted.</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached, refused the login, or the database does not exist.</summary>
    public const int CannotConnect = 3;

    /// <summary>The database has no TeslaDb schema (run tesladb-migrate up), or the user may not read it.</summary>
    public const int NotMigrated = 4;
}
