using TeslaDb.Access.Cache;
using TeslaDb.Access.Validation;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>A vehicle's cached endpoint responses (no payloads); Enter opens one response's JSON.</summary>
public sealed class CacheScreen(AdminSession session, VehicleSummary vehicle) : ListScreen<CacheEntry, CacheEntry>(session.PageSize)
{
    public VehicleSummary Vehicle { get; } = vehicle;

    public override string Title => Vehicle.Vin;

    public override IReadOnlyList<string> Columns { get; } = ["Endpoint", "Fetched", "Expires", "State", "Size"];

    public override IReadOnlyList<string> SortColumns { get; } = ["id", "expiry", "fetched", "size"];

    public override IReadOnlyList<string> ExportColumns { get; } = ["id", "vehicle_id", "tesla_account_id", "endpoint_name", "last_fetched_at", "expires_at", "fresh", "size_bytes"];

    public override string FilterPrompt => "Endpoint name (e.g. charge_state; empty for all):";

    public override async Task<Screen?> OpenAsync(int index, CancellationToken cancellationToken)
    {
        var response = await session.Cache.GetAsync(Items[index].Id, cancellationToken)
                       ?? throw new UserInputException("That response is gone (purged or cleaned up since the list was loaded): press F5 to refresh.");
        return new ResponseScreen(response);
    }

    public override VehicleSummary? VehicleOf(int index) => Vehicle;

    public override PurgeScope? PurgeScopeOf(int index) => new PurgeScope.Entry(Items[index].Id, Items[index].EndpointName);

    public override string? EndpointOf(int index) => Items[index].EndpointName;

    protected override string CheckFilter(string text) => UserInputException.Check(() => TeslaDbValidation.Endpoint(text.ToLowerInvariant()));

    protected override async Task<(IReadOnlyList<CacheEntry> Items, CacheEntry? Next)> FetchAsync(CacheEntry? after, int pageSize, CancellationToken cancellationToken)
    {
        if (SortColumn != 0 || SortDescending)
        {
            var rows = await session.Sorted.CacheAsync(Vehicle.Id, Filter, (CacheSort)SortColumn, SortDescending, after, pageSize, cancellationToken);
            return SortedLists.Page(rows, pageSize);
        }

        var page = await session.Cache.BrowseAsync(new CacheFilter(VehicleId: Vehicle.Id, EndpointName: Filter), after?.Id, pageSize, cancellationToken);
        return (page.Items, page.NextAfter is null ? null : page.Items[^1]);
    }

    protected override IReadOnlyList<string> Cells(CacheEntry e) =>
        [e.EndpointName, Format.Time(e.LastFetchedAt), e.ExpiresAt is null ? "never" : Format.Time(e.ExpiresAt), e.IsFresh ? "fresh" : "EXPIRED", Format.Bytes(e.SizeBytes)];

    protected override IReadOnlyList<string> ExportCells(CacheEntry e) =>
        [e.Id.ToString(), e.VehicleId.ToString(), e.TeslaAccountId.ToString(), e.EndpointName, Format.Iso(e.LastFetchedAt), Format.Iso(e.ExpiresAt),
         e.IsFresh ? "true" : "false", e.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
