using System.Text.Json;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Vehicles;

/// <summary>One item of the vehicle list Tesla returns, read into the columns the upsert writes.</summary>
internal readonly record struct VehicleListItem(
    long TeslaId, long? TeslaVehicleId, string Vin, string Json, string? DisplayName, string? AccessType, string? State, bool InService, int? ApiVersion)
{
    /// <exception cref="ArgumentException">Not a vehicle object, no numeric <c>id</c>, or a bad VIN.</exception>
    public static VehicleListItem From(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Vehicle {index} is not a JSON object but {item.ValueKind}.", "vehicles");
        }

        if (!item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var teslaId))
        {
            throw new ArgumentException($"Vehicle {index} has no integer 'id' (Tesla's vehicle id).", "vehicles");
        }

        return new VehicleListItem(
            teslaId,
            item.TryGetProperty("vehicle_id", out var vid) && vid.ValueKind == JsonValueKind.Number && vid.TryGetInt64(out var v) ? v : null,
            TeslaDbValidation.Vin(item.TryGetProperty("vin", out var vin) && vin.ValueKind == JsonValueKind.String ? vin.GetString() : null, "vehicles"),
            item.GetRawText(),
            Text(item, "display_name"),
            Text(item, "access_type"),
            Text(item, "state"),
            item.TryGetProperty("in_service", out var s) && s.ValueKind == JsonValueKind.True,
            item.TryGetProperty("api_version", out var api) && api.ValueKind == JsonValueKind.Number && api.TryGetInt32(out var a) ? a : null);
    }

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
