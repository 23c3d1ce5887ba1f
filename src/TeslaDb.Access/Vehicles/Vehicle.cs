using System.Text.Json;

namespace TeslaDb.Access.Vehicles;

/// <summary>A cached vehicle of an account: the item of Tesla's vehicle list, with the fields the schema indexes.</summary>
/// <param name="TeslaId">Tesla's <c>id</c> (beyond 2^53: always a long, never a double).</param>
public sealed record Vehicle(
    Guid Id,
    Guid TeslaAccountId,
    long TeslaId,
    long? TeslaVehicleId,
    string Vin,
    JsonElement Data,
    string? DisplayName,
    string? AccessType,
    string? State,
    bool InService,
    int? ApiVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastSyncedAt);
