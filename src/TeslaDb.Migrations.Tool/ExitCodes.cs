namespace TeslaDb.Migrations.Tool;

/// <summary>The exit codes of <c>tesladb-migrate</c>, documented in the README. Never renumber them: CI scripts test them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A migration failed (it was rolled back), or an unexpected error.</summary>
    public const int MigrationFailed = 1;

    /// <summary>The command line or the connection string is wrong; nothing was attempted.</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached, refused the login, or the database does not exist.</summary>
    public const int CannotConnect = 3;

    /// <summary><c>status --exit-code</c>: migrations are pending.</summary>
    public const int PendingMigrations = 4;

    /// <summary>Another run held the migration lock past <c>--lock-timeout</c>.</summary>
    public const int LockTimeout = 5;

    /// <summary><c>down</c> would drop tables or columns holding data and <c>--allow-data-loss</c> was not given.</summary>
    public const int DataLossRefused = 6;

    /// <summary><c>verify</c> found the schema different from the one the migrations define, or a changed migration.</summary>
    public const int Drift = 7;

    /// <summary><c>up</c> refused (or <c>status --exit-code</c> found): an applied migration's SQL changed since it was applied.</summary>
    public const int ChangedMigrations = 8;

    /// <summary>The connection goes through a transaction-mode pooler; migrate through a direct or session-mode connection.</summary>
    public const int TransactionPooler = 9;

    /// <summary><c>schedule-cleanup</c>: pg_cron is not available; the message gives the external-cron alternative.</summary>
    public const int CronUnavailable = 10;

    /// <summary>A migration statement could not get its table lock within <c>--step-lock-timeout</c>, on every attempt;
    /// the message names the table and the blocking session(s).</summary>
    public const int StepLockTimeout = 11;

    /// <summary><c>plan</c> / <c>lint</c>: a statement breaks a lint rule that its migration does not acknowledge.</summary>
    public const int LintViolations = 12;

    /// <summary>Token verbs (<c>encrypt-tokens</c>): a row's key id is missing from TESLADB_TOKEN_KEYS, or a value does not
    /// decrypt (wrong key under that id, tampered). Missing TESLADB_TOKEN_KEYS is a usage error (2).</summary>
    public const int TokenKey = 13;

    /// <summary><c>up</c>/<c>down</c> (or anything that migrates) refused: the server is a standby; migrate the primary.</summary>
    public const int Standby = 14;

    /// <summary>Interrupted (Ctrl+C, SIGTERM); the migration in progress was rolled back.</summary>
    public const int Cancelled = 130;
}
