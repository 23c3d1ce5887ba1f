namespace TeslaDb.Migrations.Plan;

/// <summary>
/// PostgreSQL's table lock modes, weakest first (docs: "Explicit Locking", table-level locks). What each blocks:
/// SHARE UPDATE EXCLUSIVE lets reads and writes go on; SHARE blocks writes; SHARE ROW EXCLUSIVE blocks writes;
/// ACCESS EXCLUSIVE blocks everything, reads included.
/// </summary>
public enum LockMode
{
    /// <summary>No lock on a user table (functions, grants, schemas, settings).</summary>
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

/// <summary>What a statement does to the rows of its table besides locking it.</summary>
public enum TableAccess
{
    /// <summary>Catalog only: over in milliseconds once the lock is granted.</summary>
    None,

    /// <summary>Reads every row (index build, constraint validation, SET NOT NULL): time grows with the table.</summary>
    Scan,

    /// <summary>Writes a new copy of the table and its indexes: the slowest and the most disk.</summary>
    Rewrite,
}

internal static class LockModeText
{
    /// <summary>As PostgreSQL's documentation and pg_locks spell it: "SHARE UPDATE EXCLUSIVE".</summary>
    public static string Sql(this LockMode mode) => mode switch
    {
        LockMode.None => "none",
        LockMode.AccessShare => "ACCESS SHARE",
        LockMode.RowShare => "ROW SHARE",
        LockMode.RowExclusive => "ROW EXCLUSIVE",
        LockMode.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        LockMode.Share => "SHARE",
        LockMode.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        LockMode.Exclusive => "EXCLUSIVE",
        _ => "ACCESS EXCLUSIVE",
    };

    /// <summary>Whether ordinary INSERT/UPDATE/DELETE on the table wait while the lock is held.</summary>
    public static bool BlocksWrites(this LockMode mode) => mode >= LockMode.Share;
}
