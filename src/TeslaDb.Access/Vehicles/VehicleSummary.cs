namespace TeslaDb.Access.Vehicles;

/// <summary>A vehicle as an operator lists it: no payload; <see cref="SyncAge"/> measured by the database clock.</summary>
public sealed record VehicleSummary(
    Guid Id, Guid TeslaAccountId, string Vin, string? DisplayName, string? State, DateTimeOffset LastSyncedAt, TimeSpan SyncAge)
{
    /// <summary>Where the page after this row starts.</summary>
    public VehicleCursor Cursor => new(Vin, Id);
}

/// <summary>A position in a vehicle list, which is ordered by VIN, then id.</summary>
public sealed record VehicleCursor(string Vin, Guid Id);

/// <summary>A page of vehicles; <see cref="Next"/> is null on the last page.</summary>
public sealed record VehiclePage(IReadOnlyList<VehicleSummary> Items, VehicleCursor? Next);
