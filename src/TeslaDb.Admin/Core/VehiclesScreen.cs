using TeslaDb.Access.Accounts;
using TeslaDb.Access.Validation;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>An account's vehicles, or every vehicle whose VIN starts with a prefix (a jump by VIN); Enter opens a
/// vehicle's cached responses.</summary>
public sealed class VehiclesScreen : ListScreen<VehicleSummary, VehicleCursor>
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

    public override string FilterPrompt => "Start of a VIN (empty for all):";

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

    protected override async Task<(IReadOnlyList<VehicleSummary> Items, VehicleCursor? Next)> FetchAsync(VehicleCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        var page = await _session.Vehicles.BrowseAsync(_account?.Id, Filter, after, pageSize, cancellationToken);
        return (page.Items, page.Next);
    }

    protected override IReadOnlyList<string> Cells(VehicleSummary v) =>
        [v.Vin, v.DisplayName ?? "—", v.State ?? "—", Format.Time(v.LastSyncedAt), Format.Age(v.SyncAge)];
}
