using LinqToDB;
using LinqToDB.Mapping;

namespace TeslaDb.Access.Mapping;

// The tables as linq2db sees them. Internal: the public API speaks in records with JsonElement payloads.
// timestamptz → DateTimeOffset (DateTime would be sent as "timestamp" and shifted by the session zone);
// jsonb → string marked BinaryJson (else PostgreSQL rejects text for a jsonb column, 42804).

[Table("tesla_accounts", Schema = "public")]
internal sealed class AccountRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("supabase_user_id")] public Guid SupabaseUserId { get; set; }
    [Column("account_name")] public string AccountName { get; set; } = string.Empty;
    [Column("email")] public string? Email { get; set; }
    [Column("is_active")] public bool IsActive { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
}

[Table("tokens", Schema = "public")]
internal sealed class TokenRow
{
    [Column("key"), PrimaryKey] public string Key { get; set; } = string.Empty;
    [Column("token_data", DataType = DataType.BinaryJson)] public string TokenData { get; set; } = "{}";
    [Column("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
    [Column("tesla_account_id")] public Guid? TeslaAccountId { get; set; }
}

[Table("vehicles", Schema = "public")]
internal sealed class VehicleRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("tesla_account_id")] public Guid TeslaAccountId { get; set; }
    [Column("tesla_id")] public long TeslaId { get; set; }
    [Column("tesla_vehicle_id")] public long? TeslaVehicleId { get; set; }
    [Column("vin")] public string Vin { get; set; } = string.Empty;
    [Column("vehicle_data", DataType = DataType.BinaryJson)] public string VehicleData { get; set; } = "{}";
    [Column("display_name")] public string? DisplayName { get; set; }
    [Column("access_type")] public string? AccessType { get; set; }
    [Column("state")] public string? State { get; set; }
    [Column("in_service")] public bool InService { get; set; }
    [Column("api_version")] public int? ApiVersion { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
    [Column("last_synced_at")] public DateTimeOffset LastSyncedAt { get; set; }
}

[Table("vehicle_data_cache", Schema = "public")]
internal sealed class CacheRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("tesla_account_id")] public Guid TeslaAccountId { get; set; }
    [Column("vehicle_id")] public Guid VehicleId { get; set; }
    [Column("endpoint_name")] public string EndpointName { get; set; } = string.Empty;
    [Column("response_data", DataType = DataType.BinaryJson)] public string ResponseData { get; set; } = "{}";
    [Column("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
    [Column("last_fetched_at")] public DateTimeOffset LastFetchedAt { get; set; }
}

internal static class TeslaDbMapping
{
    public static MappingSchema Build() => new("TeslaDb");
}
