using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Cache;

/// <summary>
/// The TTL cache of endpoint responses (seed operations 5 and 6), plus what an operator needs: browsing, statistics,
/// purges and cleanup. Freshness is always decided by the database clock; a null expiry never expires.
/// </summary>
public sealed partial class VehicleCacheRepository(TeslaDbDatabase database)
{
    // Through the vehicles table: a row naming a vehicle of another account inserts nothing (and is refused).
    internal const string StoreSql = """
        INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
        SELECT v.tesla_account_id, v.id, @endpoint_name, @response_data, now() + @ttl
          FROM public.vehicles v
         WHERE v.id = @vehicle_id AND v.tesla_account_id = @account_id
        ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
            tesla_account_id = EXCLUDED.tesla_account_id,
            response_data = EXCLUDED.response_data,
            expires_at = EXCLUDED.expires_at,
            last_fetched_at = now()
        """;

    // All or nothing: when any row names a vehicle of another account, no row is written (and the call is refused).
    internal const string StoreManySql = """
        WITH input AS (
            SELECT * FROM unnest(@account_ids, @vehicle_ids, @endpoint_names, @response_data, @ttls)
                       AS i (tesla_account_id, vehicle_id, endpoint_name, response_data, ttl)
        )
        INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
        SELECT i.tesla_account_id, i.vehicle_id, i.endpoint_name, i.response_data, now() + i.ttl
          FROM input i
         WHERE NOT EXISTS (
                SELECT 1 FROM input x
                 WHERE NOT EXISTS (SELECT 1 FROM public.vehicles v WHERE v.id = x.vehicle_id AND v.tesla_account_id = x.tesla_account_id))
        ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
            tesla_account_id = EXCLUDED.tesla_account_id,
            response_data = EXCLUDED.response_data,
            expires_at = EXCLUDED.expires_at,
            last_fetched_at = now()
        """;

    internal const string FreshSql = """
        SELECT response_data::text FROM public.vehicle_data_cache
         WHERE vehicle_id = @vehicle_id AND endpoint_name = @endpoint_name AND (expires_at IS NULL OR expires_at > now())
        """;

    private const string EntryColumns =
        "id, tesla_account_id, vehicle_id, endpoint_name, expires_at, last_fetched_at, (expires_at IS NULL OR expires_at > now()), pg_column_size(response_data)";

    /// <summary>Stores an endpoint response, replacing the vehicle's previous one (seed operation 5). It expires after
    /// <paramref name="ttl"/> by the database clock; null never expires.</summary>
    public async Task StoreAsync(Guid accountId, Guid vehicleId, string endpointName, JsonElement response, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        try
        {
            await StoreCoreAsync(accountId, vehicleId, endpointName, response, ttl, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task StoreCoreAsync(Guid accountId, Guid vehicleId, string endpointName, JsonElement response, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(endpointName, response, ttl);
        await using var command = database.Command("Cache.Store", StoreSql);
        AddStoreParameters(command, accountId, vehicleId, endpointName, response, ttl);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw NotTheAccountsVehicle(accountId, vehicleId);
        }
    }

    internal static void AddStoreParameters(NpgsqlCommand command, Guid accountId, Guid vehicleId, string endpointName, JsonElement response, TimeSpan? ttl)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        p.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
        p.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = endpointName });
        p.Add(new NpgsqlParameter("response_data", NpgsqlDbType.Jsonb) { Value = response.GetRawText() });
        p.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Interval) { Value = ttl.HasValue ? ttl.Value : DBNull.Value });
    }

    private static ArgumentException NotTheAccountsVehicle(Guid accountId, Guid vehicleId) =>
        new($"Vehicle {vehicleId} is not a vehicle of account {accountId}: nothing was stored.", "vehicleId");

    /// <summary>Stores many responses in one round trip; a repeated (vehicle, endpoint) counts once, the last winning.</summary>
    public async Task StoreManyAsync(IEnumerable<CacheWrite> writes, CancellationToken cancellationToken = default)
    {
        try
        {
            await StoreManyCoreAsync(writes, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task StoreManyCoreAsync(IEnumerable<CacheWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var byKey = new SortedDictionary<(Guid, string), CacheWrite>();
        foreach (var write in writes)
        {
            ValidateWrite(write.EndpointName, write.Response, write.Ttl);
            byKey[(write.VehicleId, write.EndpointName)] = write;
        }

        if (byKey.Count == 0)
        {
            return;
        }

        // In key order, so that concurrent writers lock rows in the same order.
        var rows = byKey.Values;
        await using var command = database.Command("Cache.StoreMany", StoreManySql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("account_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.TeslaAccountId).ToArray() });
        p.Add(new NpgsqlParameter("vehicle_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.VehicleId).ToArray() });
        p.Add(new NpgsqlParameter("endpoint_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.EndpointName).ToArray() });
        p.Add(new NpgsqlParameter("response_data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Response.GetRawText()).ToArray() });
        p.Add(new NpgsqlParameter("ttls", NpgsqlDbType.Array | NpgsqlDbType.Interval) { Value = rows.Select(r => r.Ttl).ToArray() });
        if (await command.ExecuteNonQueryAsync(cancellationToken) < rows.Count)
        {
            throw new ArgumentException("A write names a vehicle that is not a vehicle of its account: nothing was stored.", nameof(writes));
        }
    }

    /// <summary>The vehicle's response for the endpoint if it has not expired, else null (seed operation 6).</summary>
    public Task<JsonElement?> GetFreshAsync(Guid vehicleId, string endpointName, CancellationToken cancellationToken = default)
    {
        TeslaDbValidation.Endpoint(endpointName);
        return database.ReadAsync<JsonElement?>("Cache.GetFresh", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command("Cache.GetFresh", FreshSql, connection);
            command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
            command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = endpointName });
            return await command.ExecuteScalarAsync(ct) is string json ? Json.Parse(json) : null;
        }, cancellationToken);
    }

    /// <summary>One row with its payload (an operator reading the JSON); null when it is gone.</summary>
    public Task<CachedResponse?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Cache.Get", ReadFrom.Replica, (connection, ct) => GetAsync(id, connection, ct), cancellationToken);

    private async Task<CachedResponse?> GetAsync(Guid id, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = database.Command(
            "Cache.Get",
            "SELECT id, tesla_account_id, vehicle_id, endpoint_name, response_data::text, expires_at, last_fetched_at, created_at, updated_at, (expires_at IS NULL OR expires_at > now()) FROM public.vehicle_data_cache WHERE id = @id",
            connection);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CachedResponse(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), Json.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetBoolean(9))
            : null;
    }

    /// <summary>A page of rows in id order after <paramref name="after"/> (keyset pagination: as fast on page 10,000
    /// as on page 1, and no row skipped or repeated while others are written).</summary>
    public async Task<CachePage> BrowseAsync(CacheFilter filter, Guid? after = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var limit = Keyset.Limit(pageSize);
        var (where, parameters) = Where(filter);
        if (after is { } a)
        {
            where.Append(" AND id > @after");
            parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Uuid) { Value = a });
        }

        var items = await database.ReadAsync("Cache.Browse", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command(
                "Cache.Browse", $"SELECT {EntryColumns} FROM public.vehicle_data_cache WHERE {where} ORDER BY id LIMIT @limit", connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(limit.Clone());
            var rows = new List<CacheEntry>(pageSize + 1);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new CacheEntry(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                    reader.GetBoolean(6), reader.GetInt32(7)));
            }

            return rows;
        }, cancellationToken);

        var more = Keyset.HasMore(items, pageSize);
        return new CachePage(items, more ? items[^1].Id : null);
    }

    /// <summary>How many rows a filter covers (what a purge would delete).</summary>
    /// <remarks>On the primary: it is what an operator confirms before a purge runs there.</remarks>
    public Task<long> CountAsync(CacheFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter);
        return database.ReadAsync("Cache.Count", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var command = database.Command("Cache.Count", $"SELECT count(*) FROM public.vehicle_data_cache WHERE {where}", connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);
    }

    /// <summary>Entries, expired entries, bytes and oldest fetch per endpoint, optionally for one account.</summary>
    public Task<IReadOnlyList<EndpointStatistics>> StatisticsAsync(Guid? accountId = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Cache.Statistics", ReadFrom.Replica, (connection, ct) => StatisticsAsync(accountId, connection, ct), cancellationToken);

    private async Task<IReadOnlyList<EndpointStatistics>> StatisticsAsync(Guid? accountId, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(new CacheFilter(accountId));
        await using var command = database.Command(
            "Cache.Statistics",
            $"""
            SELECT endpoint_name, count(*), count(*) FILTER (WHERE expires_at <= now()), coalesce(sum(pg_column_size(response_data)), 0)::bigint, min(last_fetched_at)
              FROM public.vehicle_data_cache
             WHERE {where}
             GROUP BY endpoint_name
             ORDER BY endpoint_name
            """,
            connection);
        command.Parameters.AddRange(parameters.ToArray());
        var list = new List<EndpointStatistics>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new EndpointStatistics(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return list;
    }

    /// <summary>Deletes the rows a filter covers; returns how many went. Tokens are never touched.</summary>
    public async Task<int> PurgeAsync(CacheFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter);
        await using var command = database.Command("Cache.Purge", $"DELETE FROM public.vehicle_data_cache WHERE {where}");
        command.Parameters.AddRange(parameters.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes the rows a filter covers in batches of <paramref name="batchSize"/>, each its own short transaction, so
    /// that a purge of millions neither holds its locks for minutes nor leaves nothing done when cancelled. Reports the
    /// running total to <paramref name="progress"/> after each batch; returns how many went. Tokens are never touched.
    /// </summary>
    public async Task<long> PurgeInBatchesAsync(CacheFilter filter, IProgress<long>? progress = null, int batchSize = 5_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var (where, parameters) = Where(filter);
        var sql = $"""
            DELETE FROM public.vehicle_data_cache
             WHERE id IN (SELECT id FROM public.vehicle_data_cache WHERE {where} LIMIT @batch)
            """;
        long total = 0;
        while (true)
        {
            await using var command = database.Command("Cache.PurgeBatch", sql);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(new NpgsqlParameter("batch", NpgsqlDbType.Integer) { Value = batchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            progress?.Report(total);
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Deletes the rows with these ids; returns how many went.</summary>
    public async Task<int> PurgeByIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        // = ANY(array): one statement text (and plan) whatever the number of ids.
        await using var command = database.Command("Cache.PurgeByIds", "DELETE FROM public.vehicle_data_cache WHERE id = ANY(@ids)");
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes every cached response of one vehicle, expired or not; returns how many went.</summary>
    public Task<int> PurgeVehicleAsync(Guid vehicleId, CancellationToken cancellationToken = default) =>
        PurgeAsync(new CacheFilter(VehicleId: vehicleId), cancellationToken);

    /// <summary>Deletes every cached response of one account's vehicles, expired or not; returns how many went.</summary>
    public Task<int> PurgeAccountAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        PurgeAsync(new CacheFilter(TeslaAccountId: accountId), cancellationToken);

    /// <summary>Deletes every cached response of one endpoint (e.g. <c>charge_state</c>) for every vehicle; returns how many went.</summary>
    /// <exception cref="ArgumentException">Not an endpoint name (a lower-case identifier).</exception>
    public Task<int> PurgeEndpointAsync(string endpointName, CancellationToken cancellationToken = default) =>
        PurgeAsync(new CacheFilter(EndpointName: TeslaDbValidation.Endpoint(endpointName)), cancellationToken);

    /// <summary>Deletes every expired row through <c>cleanup_expired_cache()</c>; returns how many went.</summary>
    public async Task<int> CleanupExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("Cache.CleanupExpired", "SELECT public.cleanup_expired_cache()");
        command.CommandTimeout = 0; // millions of expired rows take their time
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Deletes the rows that expired more than <paramref name="keepStale"/> ago; returns how many went. The option for
    /// apps that rely on fail-safe: <c>cleanup_expired_cache()</c> (kept as the seed defines it) deletes every expired
    /// row, including those the cache would still serve as stale. Skips rows a writer holds, as the function does.
    /// </summary>
    public async Task<int> CleanupExpiredAsync(TimeSpan keepStale, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepStale, TimeSpan.Zero);
        await using var command = database.Command("Cache.CleanupExpiredKeepingStale", """
            WITH doomed AS (
                SELECT id FROM public.vehicle_data_cache
                 WHERE expires_at IS NOT NULL AND expires_at <= now() - @keep_stale
                   FOR UPDATE SKIP LOCKED
            )
            DELETE FROM public.vehicle_data_cache c USING doomed WHERE c.id = doomed.id
            """);
        command.Parameters.Add(new NpgsqlParameter("keep_stale", NpgsqlDbType.Interval) { Value = keepStale });
        command.CommandTimeout = 0; // millions of expired rows take their time
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static void ValidateWrite(string endpointName, JsonElement response, TimeSpan? ttl)
    {
        TeslaDbValidation.Endpoint(endpointName);
        TeslaDbValidation.Payload(response, nameof(response));
        if (ttl is { } t)
        {
            TeslaDbValidation.Ttl(t);
        }
    }

    // Only the predicates a filter uses, so that each combination is one plain, index-friendly statement text.
    private static (StringBuilder Where, List<NpgsqlParameter> Parameters) Where(CacheFilter filter)
    {
        var where = new StringBuilder("true");
        var parameters = new List<NpgsqlParameter>();
        if (filter.TeslaAccountId is { } account)
        {
            where.Append(" AND tesla_account_id = @account_id");
            parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = account });
        }

        if (filter.VehicleId is { } vehicle)
        {
            where.Append(" AND vehicle_id = @vehicle_id");
            parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicle });
        }

        if (filter.EndpointName is { } endpoint)
        {
            where.Append(" AND endpoint_name = @endpoint_name");
            parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = TeslaDbValidation.Endpoint(endpoint) });
        }

        if (filter.ExpiredOnly)
        {
            where.Append(" AND expires_at <= now()");
        }

        return (where, parameters);
    }
}
