namespace TeslaDb.FleetSimulator;

/// <summary>One car of a simulated account. Its <see cref="State"/> decides whether data requests answer (online)
/// or fail with 408 (asleep, offline), as Tesla's do; a wake makes it online.</summary>
public sealed class SimulatedVehicle(long id, long vehicleId, string vin, string displayName)
{
    /// <summary>Tesla's id: 16–17 digits, beyond 2^53 on purpose (a client reading it as a double loses it).</summary>
    public long Id { get; } = id;

    public long VehicleId { get; } = vehicleId;

    public string Vin { get; } = vin;

    public string DisplayName { get; } = displayName;

    /// <summary><c>online</c>, <c>asleep</c> or <c>offline</c>.</summary>
    public string State { get; set; } = "online";

    public int BatteryLevel { get; set; } = 72;
}
