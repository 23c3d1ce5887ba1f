using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>
/// The console's own keyset queries for the lists sorted by another column than their natural order (the Access
/// repositories page in their natural order only). Each order is the column, then the primary key as tie-breaker,
/// both in the same direction, and the next page starts after the row-value (key, id) of the last row: no row is
/// repeated or skipped, however many rows share a key. Both lists are bounded by the index that scopes them (one
/// vehicle's responses: one row per endpoint, unique (vehicle_id, endpoint_name); one account's vehicles), so the
/// sort runs over those few rows and needs no index of its own (docs/admin.md, "Sorting").
/// </summary>
internal sealed class SortedLists(NpgsqlDataSource data)
{
    /// <summary>A vehicle's cached responses in the order of <paramref name="column"/> (expiry, fetched, size, or the
    /// id), <paramref name="pageSize"/> + 1 rows after <paramref name="after"/>. Never expiring sorts after every time.</summary>
    public async Task<IReadOnlyList<CacheEntry>> CacheAsync(
        Guid vehicleId, string? endpoint, CacheSort column, bool descending, CacheEntry? after, int pageSize, CancellationToken cancellationToken)
    {
        var key = column switch
        {
            CacheSort.Expiry => "coalesce(expires_at, 'infinity'::timestamptz)",
            CacheSort.Fetched => "last_fetched_at",
            CacheSort.Size => "pg_column_size(response_data)",
            _ => "id",
        };
        // A never-expiring row's key is infinity; its cursor carries a null expiry, turned into infinity the same way.
        var afterKey = column == CacheSort.Expiry ? "coalesce(@after_key, 'infinity'::timestamptz)" : "@after_key";
        var (compare, direction) = descending ? ("<", "DESC") : (">", "ASC");
        await using var command = data.CreateCommand($"""
            SELECT id, tesla_account_id, vehicle_id, endpoint_name, expires_at, last_fetched_at,
                   (expires_at IS NULL OR expires_at > now()), pg_column_size(response_data)
              FROM public.vehicle_data_cache
             WHERE vehicle_id = @vehicle
               AND (@endpoint::text IS NULL OR endpoint_name = @endpoint)
               AND (@after_id::uuid IS NULL OR ({key}, id) {compare} ({afterKey}, @after_id))
             ORDER BY {key} {direction}, id {direction}
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("vehicle", NpgsqlDbType.Uuid) { Value = vehicleId });
        command.Parameters.Add(new NpgsqlParameter("endpoint", NpgsqlDbType.Text) { Value = (object?)endpoint ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = (object?)after?.Id ?? DBNull.Value });
        command.Parameters.Add(column switch
        {
            CacheSort.Expiry => new NpgsqlParameter("after_key", NpgsqlDbType.TimestampTz) { Value = (object?)after?.ExpiresAt?.UtcDateTime ?? DBNull.Value },
            CacheSort.Fetched => new NpgsqlParameter("after_key", NpgsqlDbType.TimestampTz) { Value = (object?)after?.LastFetchedAt.UtcDateTime ?? DBNull.Value },
            CacheSort.Size => new NpgsqlParameter("after_key", NpgsqlDbType.Integer) { Value = (object?)after?.SizeBytes ?? DBNull.Value },
            _ => new NpgsqlParameter("after_key", NpgsqlDbType.Uuid) { Value = (object?)after?.Id ?? DBNull.Value },
        });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = pageSize + 1 });
        var items = new List<CacheEntry>(pageSize + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CacheEntry(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetBoolean(6), reader.GetInt32(7)));
        }

        return items;
    }

    /// <summary>An account's vehicles in the order of <paramref name="column"/>, <paramref name="pageSize"/> + 1
    /// rows after <paramref name="after"/>; <paramref name="vinPrefix"/> (already checked) narrows them.</summary>
    public async Task<IReadOnlyList<VehicleSummary>> VehiclesAsync(
        Guid accountId, string? vinPrefix, VehicleSort column, bool descending, VehicleSummary? after, int pageSize, CancellationToken cancellationToken)
    {
        var key = column == VehicleSort.LastSynced ? "last_synced_at" : "vin";
        var (compare, direction) = descending ? ("<", "DESC") : (">", "ASC");
        await using var command = data.CreateCommand($"""
            SELECT id, tesla_account_id, vin, display_name, state, last_synced_at, now() - last_synced_at
              FROM public.vehicles
             WHERE tesla_account_id = @account
               AND (@prefix::text IS NULL OR starts_with(vin, @prefix))
               AND (@after_id::uuid IS NULL OR ({key}, id) {compare} (@after_key, @after_id))
             ORDER BY {key} {direction}, id {direction}
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Uuid) { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter("prefix", NpgsqlDbType.Text) { Value = (object?)vinPrefix ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = (object?)after?.Id ?? DBNull.Value });
        command.Parameters.Add(column == VehicleSort.LastSynced
            ? new NpgsqlParameter("after_key", NpgsqlDbType.TimestampTz) { Value = (object?)after?.LastSyncedAt.UtcDateTime ?? DBNull.Value }
            : new NpgsqlParameter("after_key", NpgsqlDbType.Text) { Value = (object?)after?.Vin ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = pageSize + 1 });
        var items = new List<VehicleSummary>(pageSize + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new VehicleSummary(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<TimeSpan>(6)));
        }

        return items;
    }

    /// <summary>Keeps a page of <paramref name="pageSize"/> rows of the one-more fetched; the last kept row is where the
    /// next page starts, null when no row followed.</summary>
    public static (IReadOnlyList<T> Items, T? Next) Page<T>(IReadOnlyList<T> rows, int pageSize)
        where T : class =>
        rows.Count > pageSize ? (rows.Take(pageSize).ToList(), rows[pageSize - 1]) : (rows, null);
}

/// <summary>The columns a vehicle's cached responses sort by (<see cref="Id"/>: the natural order).</summary>
public enum CacheSort
{
    Id,
    Expiry,
    Fetched,
    Size,
}

/// <summary>The columns an account's vehicles sort by (<see cref="Vin"/>: the natural order).</summary>
public enum VehicleSort
{
    Vin,
    LastSynced,
}
