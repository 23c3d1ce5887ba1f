using TeslaDb.Access.Accounts;
using TeslaDb.Access.Validation;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>An account's vehicles, or every vehicle whose VIN starts with a prefix (a jump by VIN); Enter opens a
/// vehicle's cached responses.</summary>
public sealed class VehiclesScreen : ListScreen<VehicleSummary, VehicleSummary>
{
    private readonly AdminSession _session;
    private readonly AccountSummary? _account;

    public VehiclesScreen(AdminSession session, AccountSummary account)
        : base(session.PageSize)
    {
        _session = session;
        _account = account;
    }

    private VehiclesScreen(AdminSession session)
        : base(session.PageSize)
    {
        _session = session;
    }

    public override string Title => _account is null ? $"VIN {Filter}…" : _account.Email ?? _account.AccountName;

    public override IReadOnlyList<string> Columns { get; } = ["VIN", "Name", "State", "Last synced", "Age"];

    public override IReadOnlyList<int> NameColumns { get; } = [1];

    public override string FilterPrompt => "Start of a VIN (empty for all):";

    public override IReadOnlyList<string> SortColumns { get; } = ["VIN", "last synced"];

    public override IReadOnlyList<string> ExportColumns { get; } = ["id", "tesla_account_id", "vin", "display_name", "state", "last_synced_at", "sync_age_seconds"];

    /// <summary>A jump by VIN may list every vehicle of the database: only its VIN order has an index to page by.</summary>
    protected override string? SortRefusal => _account is null
        ? "A list of vehicles by VIN stays in VIN order (no index orders every vehicle by sync time): open an account to sort its vehicles."
        : null;

    /// <summary>Vehicles of every account whose VIN starts with <paramref name="vinPrefix"/>, first page loaded.</summary>
    /// <exception cref="UserInputException">The text cannot start a VIN.</exception>
    public static async Task<VehiclesScreen> WithVinAsync(AdminSession session, string vinPrefix, CancellationToken cancellationToken)
    {
        var screen = new VehiclesScreen(session);
        await screen.ApplyFilterAsync(vinPrefix, cancellationToken);
        return screen;
    }

    public override async Task<Screen?> OpenAsync(int index, CancellationToken cancellationToken)
    {
        var cache = new CacheScreen(_session, Items[index]);
        await cache.LoadFirstAsync(cancellationToken);
        return cache;
    }

    public override VehicleSummary? VehicleOf(int index) => Items[index];

    public override PurgeScope? PurgeScopeOf(int index) => new PurgeScope.Vehicle(Items[index]);

    protected override string CheckFilter(string text) => UserInputException.Check(() => TeslaDbValidation.VinPrefix(text));

    protected override async Task<(IReadOnlyList<VehicleSummary> Items, VehicleSummary? Next)> FetchAsync(VehicleSummary? after, int pageSize, CancellationToken cancellationToken)
    {
        if (_account is not null && (SortColumn != 0 || SortDescending))
        {
            var rows = await _session.Sorted.VehiclesAsync(_account.Id, Filter, (VehicleSort)SortColumn, SortDescending, after, pageSize, cancellationToken);
            return SortedLists.Page(rows, pageSize);
        }

        var page = await _session.Vehicles.BrowseAsync(_account?.Id, Filter, after?.Cursor, pageSize, cancellationToken);
        return (page.Items, page.Next is null ? null : page.Items[^1]);
    }

    protected override IReadOnlyList<string> Cells(VehicleSummary v) =>
        [v.Vin, v.DisplayName ?? "—", v.State ?? "—", Format.Time(v.LastSyncedAt), Format.Age(v.SyncAge)];

    protected override IReadOnlyList<string> ExportCells(VehicleSummary v) =>
        [v.Id.ToString(), v.TeslaAccountId.ToString(), v.Vin, v.DisplayName ?? string.Empty, v.State ?? string.Empty, Format.Iso(v.LastSyncedAt),
         ((long)v.SyncAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
