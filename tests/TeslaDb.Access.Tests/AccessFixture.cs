using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>A migrated database of the test class's own, and the repositories over it.</summary>
public sealed class AccessFixture : MigratedDatabaseFixture
{
    private TeslaDbDatabase? _access;

    public TeslaDbDatabase Access => _access ?? throw new InvalidOperationException("not initialized");
    public TeslaAccountRepository Accounts => new(Access);
    public TokenRepository Tokens => new(Access);
    public VehicleRepository Vehicles => new(Access);
    public VehicleCacheRepository Cache => new(Access);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _access = TeslaDbDatabase.Create(Database.ConnectionString, tokenKeys: TeslaSamples.Keys);
    }

    /// <summary>A new account of a new user, with <paramref name="vehicles"/> vehicles; returns the account and vehicle ids.</summary>
    public async Task<(Guid Account, Guid[] Vehicles)> SeedAsync(int vehicles = 1)
    {
        var account = await Accounts.CreateAsync(Guid.NewGuid(), "Compte principal", "owner@example.com", TestContext.Current.CancellationToken);
        var list = Enumerable.Range(0, vehicles).Select(i => TeslaSamples.Vehicle(TeslaSamples.TeslaId(i), TeslaSamples.Vin(i))).ToList();
        var ids = await Vehicles.UpsertAsync(account.Id, list, TestContext.Current.CancellationToken);
        return (account.Id, [.. ids.OrderBy(kv => kv.Key).Select(kv => kv.Value)]);
    }
}
