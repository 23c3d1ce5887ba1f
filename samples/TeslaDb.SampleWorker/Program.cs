using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeslaDb.Migrations.Runner;
using TeslaDb.SampleWorker;

// dotnet run --project samples/TeslaDb.SampleWorker  (TeslaDb__ConnectionString and TESLADB_TOKEN_KEYS in the environment)
// With Sample:RunSimulator (the default in appsettings.json) it talks to a local Fleet API simulator instead of Tesla,
// seeds simulated owners, and prints on exit what Tesla would have billed.
var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().AddCommandLine(args).Build();
var simulate = configuration.GetValue("Sample:RunSimulator", false);
await using var simulator = simulate ? await TeslaDb.FleetSimulator.TeslaFleetSimulator.StartAsync() : null;
var overrides = simulator is null ? [] : new Dictionary<string, string?> { ["Sample:FleetApiBaseUrl"] = simulator.BaseAddress.ToString() };

using var host = SampleHost.CreateBuilder(args, overrides).Build();
if (simulator is not null)
{
    // The owners log in before the app polls: migrate first (the hosted service would do it too), then seed.
    await new TeslaDbMigrator(new MigratorOptions { ConnectionString = configuration["TeslaDb:ConnectionString"] ?? string.Empty }).UpAsync();
    await SimulatedFleet.SeedAsync(host.Services, simulator, configuration.GetValue("Sample:SimulatedAccounts", 2), configuration.GetValue("Sample:SimulatedCarsPerAccount", 2), CancellationToken.None);
}

await host.RunAsync();
if (simulator is not null)
{
    Console.WriteLine($"Tesla would have billed: {simulator.Billing}");
}
