using TeslaDb.Access.Accounts;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>
/// What a purge covers, chosen on a screen and planned by <see cref="CachePurges"/>: the screens say what is selected,
/// they never plan or run a purge themselves. <see cref="Kind"/> and <see cref="Target"/> are what the journal records.
/// </summary>
public abstract record PurgeScope(string Kind, string Target)
{
    /// <summary>Every expired row, through cleanup_expired_cache().</summary>
    public sealed record Expired() : PurgeScope("expired", "cleanup_expired_cache()");

    /// <summary>One cached response.</summary>
    public sealed record Entry(Guid Id, string EndpointName) : PurgeScope("entry", $"{EndpointName} {Id}");

    /// <summary>Everything cached for one vehicle.</summary>
    public sealed record Vehicle(VehicleSummary Summary) : PurgeScope("vehicle", Summary.Vin);

    /// <summary>Everything cached for the vehicles of one account.</summary>
    public sealed record Account(AccountSummary Summary) : PurgeScope("account", Summary.Id.ToString());

    /// <summary>One endpoint for every vehicle.</summary>
    public sealed record Endpoint(string EndpointName) : PurgeScope("endpoint", EndpointName);
}
