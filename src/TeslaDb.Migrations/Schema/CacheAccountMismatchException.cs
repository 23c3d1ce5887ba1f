namespace TeslaDb.Migrations.Schema;

/// <summary>
/// Cache rows name another account than their vehicle's, so the foreign key that forbids it cannot be validated.
/// The message says how many and gives the query that lists them.
/// </summary>
public sealed class CacheAccountMismatchException : Exception
{
    public CacheAccountMismatchException(long rows, string listSql)
        : base($"{rows} vehicle_data_cache row(s) belong to another account than their vehicle, so the foreign key was not validated; list them with: {listSql}; then correct their tesla_account_id (or delete them) and run up again.")
    {
        Rows = rows;
        ListSql = listSql;
    }

    public CacheAccountMismatchException()
    {
        ListSql = string.Empty;
    }

    public CacheAccountMismatchException(string message)
        : base(message)
    {
        ListSql = string.Empty;
    }

    public CacheAccountMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        ListSql = string.Empty;
    }

    public long Rows { get; }

    public string ListSql { get; }
}
