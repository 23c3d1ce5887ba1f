using Npgsql;
using NpgsqlTypes;

namespace TeslaDb.Access;

/// <summary>
/// The keyset pagination every Browse method shares: the query asks for one row more than a page, and that extra
/// row, dropped before returning, tells whether another page follows (no count(*) over millions of rows).
/// </summary>
internal static class Keyset
{
    public const int MaxPageSize = 10_000;

    /// <summary>The <c>@limit</c> parameter for a page of <paramref name="pageSize"/> rows (one more is fetched).</summary>
    public static NpgsqlParameter Limit(int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        return new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = pageSize + 1 };
    }

    /// <summary>Drops the extra row; true when it was there, i.e. when another page follows the last row kept.</summary>
    public static bool HasMore<T>(List<T> items, int pageSize)
    {
        if (items.Count <= pageSize)
        {
            return false;
        }

        items.RemoveRange(pageSize, items.Count - pageSize);
        return true;
    }
}
