using System.Text.Json;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Access.Vehicles;
using TeslaDb.Admin.Core;
using TeslaDb.TestSupport;

namespace TeslaDb.Admin.Tests;

/// <summary>A migrated database of the test class's own, seeded through the Access repositories.</summary>
public sealed class AdminFixture : MigratedDatabaseFixture
{
    public const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.admin-test-access-token-SECRET";
    public const string RefreshToken = "NA_admin-test-refresh-token-SECRET-0123456789";
    private static int _vin;
    private TeslaDbDatabase? _access;

    public TeslaDbDatabase Access => _access ?? throw new InvalidOperationException("not initialized");

    public TeslaAccountRepository Accounts => new(Access);

    public VehicleRepository Vehicles => new(Access);

    public VehicleCacheRepository Cache => new(Access);

    public TokenRepository Tokens => new(Access);

    public static string[] Endpoints { get; } = ["charge_state", "climate_state", "drive_state", "vehicle_state", "gui_settings", "vehicle_config"];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The fixture stores tokens (encrypted, so it needs a key); the console itself runs without one.
        _access = TeslaDbDatabase.Create(Database.ConnectionString, tokenKeys: TokenKeyring.Parse(TokenKeyring.GenerateEntry("admin-test")));
    }

    public AdminSession Session(bool readOnly = false, int pageSize = 100, string? environment = null, long typedConfirmAbove = DatabaseEnvironment.DefaultTypedConfirmAbove) =>
        AdminSession.Open(Database.Builder, readOnly, pageSize, environment, typedConfirmAbove);

    public static string NextVin()
    {
        var n = Interlocked.Increment(ref _vin);
        return $"5YJ3E1EA{n % 10}PF{n:000000}";
    }

    /// <summary>An account with a token and <paramref name="vehicles"/> vehicles, each with every endpoint cached;
    /// the first <paramref name="expiredPerVehicle"/> endpoints of each vehicle already expired.</summary>
    public async Task<Seeded> SeedAccountAsync(string email, int vehicles = 2, int expiredPerVehicle = 1, Guid? user = null, string name = "Compte principal")
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await Accounts.CreateAsync(user ?? Guid.NewGuid(), name, email, ct);
        await Tokens.StoreAsync(account.Id, JsonDocument.Parse($$"""{"access_token": "{{AccessToken}}", "refresh_token": "{{RefreshToken}}", "expires_in": 28800}""").RootElement, TimeSpan.FromHours(8), ct);
        var list = Enumerable.Range(0, vehicles).Select(i => JsonDocument.Parse(
            $$"""{"id": {{1492932226450100L + Random.Shared.NextInt64(1, 1L << 40)}}, "vehicle_id": 999823797, "vin": "{{NextVin()}}", "display_name": "Tesla {{i}}", "state": "online", "in_service": false, "api_version": 67}""").RootElement).ToList();
        var ids = await Vehicles.UpsertAsync(account.Id, list, ct);
        var writes = ids.Values.SelectMany(v => Endpoints.Select((e, i) => new CacheWrite(account.Id, v, e,
            JsonDocument.Parse($$"""{"endpoint": "{{e}}", "battery_level": 80, "timestamp": 1732526400123}""").RootElement,
            i < expiredPerVehicle ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromHours(1)))).ToList();
        await Cache.StoreManyAsync(writes, ct);
        await Task.Delay(5, ct); // the 1 ms TTLs are past
        var summary = (await Accounts.BrowseAsync(account.Id.ToString(), null, 10, ct)).Items.Single();
        var vehicleList = (await Vehicles.BrowseAsync(account.Id, null, null, 100, ct)).Items;
        return new Seeded(summary, vehicleList);
    }

    public sealed record Seeded(AccountSummary Account, IReadOnlyList<VehicleSummary> Vehicles);
}
