using System.Text;
using System.Text.Json;
using LinqToDB;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Mapping;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Vehicles;

/// <summary>The vehicle list cache of each account (seed operations 3 and 4).</summary>
public sealed class VehicleRepository(TeslaDbDatabase database)
{
    private const string Columns =
        "id, tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data::text, display_name, access_type, state, in_service, api_version, created_at, updated_at, last_synced_at";

    // One statement whatever the list's length: the rows travel as one array per column.
    internal const string UpsertSql = """
        INSERT INTO public.vehicles (tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version)
        SELECT @account_id, v.tesla_id, v.tesla_vehicle_id, v.vin, v.vehicle_data, v.display_name, v.access_type, v.state, v.in_service, v.api_version
          FROM unnest(@tesla_ids, @tesla_vehicle_ids, @vins, @vehicle_data, @display_names, @access_types, @states, @in_service, @api_versions)
               AS v (tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version)
        ON CONFLICT (tesla_account_id, tesla_id) DO UPDATE SET
            tesla_vehicle_id = EXCLUDED.tesla_vehicle_id,
            vin = EXCLUDED.vin,
            vehicle_data = EXCLUDED.vehicle_data,
            display_name = EXCLUDED.display_name,
            access_type = EXCLUDED.access_type,
            state = EXCLUDED.state,
            in_service = EXCLUDED.in_service,
            api_version = EXCLUDED.api_version,
            last_synced_at = now()
        RETURNING tesla_id, id
        """;

    /// <summary>
    /// Stores the vehicle list Tesla returned for an account (seed operation 3) in one round trip: new vehicles are
    /// inserted, known ones (same Tesla id) updated in place. Within the list a repeated Tesla id counts once, the last
    /// occurrence winning. Returns each Tesla id's vehicle id.
    /// </summary>
    /// <exception cref="ArgumentException">An item without an integer id, or with a bad VIN; nothing is written.</exception>
    public async Task<IReadOnlyDictionary<long, Guid>> UpsertAsync(Guid accountId, IEnumerable<JsonElement> teslaVehicles, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpsertCoreAsync(accountId, teslaVehicles, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task<IReadOnlyDictionary<long, Guid>> UpsertCoreAsync(Guid accountId, IEnumerable<JsonElement> teslaVehicles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teslaVehicles);
        var byTeslaId = new SortedDictionary<long, VehicleListItem>();
        var index = 0;
        foreach (var item in teslaVehicles)
        {
            var row = VehicleListItem.From(item, index++);
            byTeslaId[row.TeslaId] = row; // last wins
        }

        if (byTeslaId.Count == 0)
        {
            return new Dictionary<long, Guid>();
        }

        // Sorted by Tesla id: concurrent upserts of overlapping lists then lock rows in the same order (no deadlock).
        var rows = byTeslaId.Values;
        await using var command = database.Command("Vehicles.Upsert", UpsertSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
        p.Add(new NpgsqlParameter("tesla_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.TeslaId).ToArray() });
        p.Add(new NpgsqlParameter("tesla_vehicle_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.TeslaVehicleId).ToArray() });
        p.Add(new NpgsqlParameter("vins", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Vin).ToArray() });
        p.Add(new NpgsqlParameter("vehicle_data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Json).ToArray() });
        p.Add(new NpgsqlParameter("display_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.DisplayName).ToArray() });
        p.Add(new NpgsqlParameter("access_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.AccessType).ToArray() });
        p.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.State).ToArray() });
        p.Add(new NpgsqlParameter("in_service", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = rows.Select(r => r.InService).ToArray() });
        p.Add(new NpgsqlParameter("api_versions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.ApiVersion).ToArray() });
        var ids = new Dictionary<long, Guid>(byTeslaId.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[reader.GetInt64(0)] = reader.GetGuid(1);
        }

        return ids;
    }

    /// <summary>All vehicles of an account, by display name then VIN.</summary>
    /// <remarks>On the primary: an app lists right after <see cref="UpsertAsync"/> and must see its own write.</remarks>
    public Task<IReadOnlyList<Vehicle>> ListAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Vehicle>>("Vehicles.List", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var db = database.Open("Vehicles.List", connection);
            return Models(await db.GetTable<VehicleRow>().Where(v => v.TeslaAccountId == accountId)
                .OrderBy(v => v.DisplayName).ThenBy(v => v.Vin).ThenBy(v => v.Id).ToListAsync(ct));
        }, cancellationToken);

    /// <summary>The vehicles of an account synced within <paramref name="maxAge"/> by the database clock (seed
    /// operation 4): empty when the cache is too old and Tesla must be asked again.</summary>
    /// <remarks>A cache read: a standby within the lag bound may serve it (an app that must see the list it has
    /// just stored reads inside <see cref="TeslaDbDatabase.ReadFromPrimary"/>).</remarks>
    public Task<IReadOnlyList<Vehicle>> ListSyncedWithinAsync(Guid accountId, TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        TeslaDbValidation.Ttl(maxAge, nameof(maxAge));
        return database.ReadAsync("Vehicles.ListSyncedWithin", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command(
                "Vehicles.ListSyncedWithin",
                $"SELECT {Columns} FROM public.vehicles WHERE tesla_account_id = @account_id AND last_synced_at >= now() - @max_age ORDER BY display_name, vin, id",
                connection);
            command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = accountId });
            command.Parameters.Add(new NpgsqlParameter("max_age", NpgsqlDbType.Interval) { Value = maxAge });
            return await ReadAllAsync(command, ct);
        }, cancellationToken);
    }

    /// <summary>Vehicles with this VIN, whichever account holds them (a car can be shared between accounts).</summary>
    public Task<IReadOnlyList<Vehicle>> FindByVinAsync(string vin, CancellationToken cancellationToken = default)
    {
        TeslaDbValidation.Vin(vin);
        return database.ReadAsync<IReadOnlyList<Vehicle>>("Vehicles.FindByVin", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var db = database.Open("Vehicles.FindByVin", connection);
            return Models(await db.GetTable<VehicleRow>().Where(v => v.Vin == vin).OrderBy(v => v.Id).ToListAsync(ct));
        }, cancellationToken);
    }

    /// <summary>The vehicle with this Tesla id in an account; null when absent.</summary>
    public Task<Vehicle?> FindByTeslaIdAsync(Guid accountId, long teslaId, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Vehicles.FindByTeslaId", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var db = database.Open("Vehicles.FindByTeslaId", connection);
            var row = await db.GetTable<VehicleRow>().FirstOrDefaultAsync(v => v.TeslaAccountId == accountId && v.TeslaId == teslaId, ct);
            return row is null ? null : Model(row);
        }, cancellationToken);

    /// <summary>An account's vehicles in a state (online, asleep, offline).</summary>
    public Task<IReadOnlyList<Vehicle>> ListByStateAsync(Guid accountId, string state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        return database.ReadAsync<IReadOnlyList<Vehicle>>("Vehicles.ListByState", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var db = database.Open("Vehicles.ListByState", connection);
            return Models(await db.GetTable<VehicleRow>().Where(v => v.TeslaAccountId == accountId && v.State == state)
                .OrderBy(v => v.DisplayName).ThenBy(v => v.Id).ToListAsync(ct));
        }, cancellationToken);
    }

    /// <summary>
    /// A page of vehicles ordered by VIN then id, after <paramref name="after"/> (keyset pagination), optionally of one
    /// account and only those whose VIN starts with <paramref name="vinPrefix"/> (case-insensitive; served by
    /// idx_vehicles_vin as a range). No payloads: an operator's list.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix holds a character no VIN has, or is longer than 17.</exception>
    public async Task<VehiclePage> BrowseAsync(Guid? accountId = null, string? vinPrefix = null, VehicleCursor? after = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        var limit = Keyset.Limit(pageSize);
        var where = new StringBuilder("true");
        var parameters = new List<NpgsqlParameter>();
        if (accountId is { } account)
        {
            where.Append(" AND tesla_account_id = @account_id");
            parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = account });
        }

        if (!string.IsNullOrWhiteSpace(vinPrefix))
        {
            var prefix = TeslaDbValidation.VinPrefix(vinPrefix);
            // VINs are digits and capitals, which sort the same in every collation: the prefix and the prefix padded
            // with Z bound a range the VIN index can scan; starts_with keeps the result exact for odd legacy values.
            where.Append(" AND vin >= @vin_from AND vin <= @vin_to AND starts_with(vin, @vin_from)");
            parameters.Add(new NpgsqlParameter("vin_from", NpgsqlDbType.Text) { Value = prefix });
            parameters.Add(new NpgsqlParameter("vin_to", NpgsqlDbType.Text) { Value = prefix.PadRight(17, 'Z') });
        }

        if (after is not null)
        {
            where.Append(" AND (vin, id) > (@after_vin, @after_id)");
            parameters.Add(new NpgsqlParameter("after_vin", NpgsqlDbType.Text) { Value = after.Vin });
            parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }

        var items = await database.ReadAsync("Vehicles.Browse", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command(
                "Vehicles.Browse",
                $"SELECT id, tesla_account_id, vin, display_name, state, last_synced_at, now() - last_synced_at FROM public.vehicles WHERE {where} ORDER BY vin, id LIMIT @limit",
                connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(limit.Clone());
            var rows = new List<VehicleSummary>(pageSize + 1);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new VehicleSummary(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<TimeSpan>(6)));
            }

            return rows;
        }, cancellationToken);

        var more = Keyset.HasMore(items, pageSize);
        return new VehiclePage(items, more ? items[^1].Cursor : null);
    }

    /// <summary>Vehicles whose data contains <paramref name="fragment"/> (jsonb <c>@&gt;</c>, served by the GIN index),
    /// e.g. <c>{"vehicle_config": {"car_type": "model3"}}</c>; at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Vehicle>> FindByDataAsync(JsonElement fragment, int limit = 100, CancellationToken cancellationToken = default)
    {
        TeslaDbValidation.Payload(fragment, nameof(fragment));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var json = fragment.GetRawText();
        return database.ReadAsync("Vehicles.FindByData", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command(
                "Vehicles.FindByData",
                $"SELECT {Columns} FROM public.vehicles WHERE vehicle_data @> @fragment ORDER BY id LIMIT @limit",
                connection);
            command.Parameters.Add(new NpgsqlParameter("fragment", NpgsqlDbType.Jsonb) { Value = json });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
            return await ReadAllAsync(command, ct);
        }, cancellationToken);
    }

    private static async Task<IReadOnlyList<Vehicle>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Vehicle>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Vehicle(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4),
                Json.Parse(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetBoolean(9), reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return list;
    }

    private static List<Vehicle> Models(List<VehicleRow> rows) => [.. rows.Select(Model)];

    private static Vehicle Model(VehicleRow r) =>
        new(r.Id, r.TeslaAccountId, r.TeslaId, r.TeslaVehicleId, r.Vin, Json.Parse(r.VehicleData), r.DisplayName, r.AccessType, r.State,
            r.InService, r.ApiVersion, r.CreatedAt, r.UpdatedAt, r.LastSyncedAt);
}
