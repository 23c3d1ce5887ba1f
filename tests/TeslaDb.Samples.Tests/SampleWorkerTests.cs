using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeslaDb.Access.Cache;
using TeslaDb.FleetSimulator;
using TeslaDb.Migrations.Runner;
using TeslaDb.SampleWorker;
using TeslaDb.TestSupport;

namespace TeslaDb.Samples.Tests;

/// <summary>
/// The sample app, three instances on one database against the simulator (whose refresh tokens are stricter than
/// Tesla's: any second use logs the owner out), run until every owner's token was refreshed several times; then the
/// seed's naive polling (each instance: read the cache, on a miss call Tesla and store) for as long, on its own
/// simulator. The billable calls of both are compared.
/// </summary>
public sealed partial class SampleWorkerTests
{
    private const int Instances = 3;
    private const int Accounts = 2;
    private const int CarsPerAccount = 2;
    private static readonly string[] Endpoints = ["charge_state", "drive_state", "climate_state"];
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Three_instances_log_no_owner_out_leak_no_secret_and_bill_less_than_naive_polling()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await using var simulator = await TeslaFleetSimulator.StartAsync(new SimulatorOptions { AccessTokenLifetime = TimeSpan.FromSeconds(4) }, ct);
        var key = "sample:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var logs = new CapturedLogs();
        var hosts = Enumerable.Range(0, Instances).Select(_ => Build(db, simulator, key, logs)).ToList();

        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync(cancellationToken: ct);
        await SimulatedFleet.SeedAsync(hosts[0].Services, simulator, Accounts, CarsPerAccount, ct);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(hosts.Select(h => h.StartAsync(ct)));

        // One car falls asleep once its data is cached; the others stay online.
        var sleeper = simulator.Accounts.First().Vehicles[0];
        await Until(() => simulator.Billing.DataRequests >= Accounts * CarsPerAccount * Endpoints.Length, "every car's data fetched once", logs, ct);
        sleeper.State = "asleep";
        // Run until every owner's token was refreshed 3 times (4-second tokens): instances race for each refresh.
        await Until(() => watch.Elapsed > TimeSpan.FromSeconds(12) && simulator.Accounts.All(a => a.Refreshes >= 3 || a.LoggedOut), "every token refreshed 3 times", logs, ct);
        var health = await hosts[0].Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
        await Task.WhenAll(hosts.Select(h => h.StopAsync(CancellationToken.None)));
        var elapsed = watch.Elapsed;
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        Assert.All(simulator.Accounts, a => Assert.False(a.LoggedOut, $"{a.Email} was logged out: a refresh token was used twice"));
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => SecretPattern().IsMatch(line) || line.Contains(key[7..], StringComparison.Ordinal));

        var naive = await NaivePollingAsync(elapsed, ct);
        var carDays = Accounts * CarsPerAccount * elapsed.TotalDays;
        var figures =
            $"{elapsed.TotalSeconds:0.0} s, {Accounts * CarsPerAccount} cars, {Instances} instances, TTL {Ttl.TotalSeconds} s, poll {PollInterval.TotalMilliseconds} ms: "
            + $"TeslaDb {simulator.Billing} ({simulator.Billing.BillableCalls / carDays:0} calls, ${simulator.Billing.Dollars / (decimal)carDays:0.00} per car per day); "
            + $"naive {naive} ({naive.BillableCalls / carDays:0} calls, ${naive.Dollars / (decimal)carDays:0.00} per car per day)";
        TestContext.Current.SendDiagnosticMessage(figures);
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(simulator.Billing.BillableCalls * 2 < naive.BillableCalls, "Expected TeslaDb to bill less than half of naive polling: " + figures);
    }

    /// <summary>The seed's Python sample run by three instances for as long: get_cached_endpoint, and on a miss a call to
    /// Tesla and cache_endpoint_response. Its tokens never expire here, so that only data calls differ.</summary>
    private static async Task<FleetBilling> NaivePollingAsync(TimeSpan duration, CancellationToken ct)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var simulator = await TeslaFleetSimulator.StartAsync(new SimulatorOptions { AccessTokenLifetime = TimeSpan.FromDays(1) }, ct);
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync(cancellationToken: ct);
        var key = "naive:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var host = Build(db, simulator, key, new CapturedLogs());
        await SimulatedFleet.SeedAsync(host.Services, simulator, Accounts, CarsPerAccount, ct);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        var fleet = new FleetApiClient(http);
        var cache = host.Services.GetRequiredService<VehicleCacheRepository>();
        var accounts = host.Services.GetRequiredService<TeslaDb.Access.Accounts.TeslaAccountRepository>();
        var vehicles = host.Services.GetRequiredService<TeslaDb.Access.Vehicles.VehicleRepository>();
        var cars = new List<(Guid Account, TeslaDb.Access.Vehicles.Vehicle Car, string Token)>();
        foreach (var (account, owner) in (await accounts.BrowseAsync(cancellationToken: ct)).Items.Zip(simulator.Accounts.OrderBy(a => a.Email)))
        {
            var token = (await fleet.RefreshAsync(owner.CurrentRefreshToken, "naive", ct)).GetProperty("access_token").GetString()!;
            await vehicles.UpsertAsync(account.Id, (await fleet.ListVehiclesAsync(token, ct)).EnumerateArray(), ct);
            cars.AddRange((await vehicles.ListAsync(account.Id, ct)).Select(v => (account.Id, v, token)));
        }

        var sleeper = simulator.Accounts.First().Vehicles[0];
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, Instances).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (account, car, token) in cars)
                {
                    foreach (var endpoint in Endpoints)
                    {
                        if (await cache.GetFreshAsync(car.Id, endpoint, ct) is null)
                        {
                            try
                            {
                                var data = await fleet.GetVehicleDataAsync(car.TeslaId, endpoint, token, ct);
                                await cache.StoreAsync(account, car.Id, endpoint, data, Ttl, ct);
                            }
                            catch (FleetApiException)
                            {
                                // 408 asleep or 429: billed all the same; the Python sample would log and go on.
                            }
                        }
                    }
                }

                if (simulator.Billing.DataRequests >= Accounts * CarsPerAccount * Endpoints.Length)
                {
                    sleeper.State = "asleep";
                }

                await Task.Delay(PollInterval, CancellationToken.None);
            }
        }));
        return simulator.Billing;
    }

    private static IHost Build(TestDatabase db, TeslaFleetSimulator simulator, string tokenKey, CapturedLogs logs)
    {
        var builder = SampleHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["TeslaDb:ConnectionString"] = db.ConnectionString,
            ["TeslaDb:TokenKeys"] = tokenKey,
            ["TeslaDb:Cache:Endpoints:charge_state:Ttl"] = Ttl.ToString(),
            ["TeslaDb:Cache:Endpoints:drive_state:Ttl"] = Ttl.ToString(),
            ["TeslaDb:Cache:Endpoints:climate_state:Ttl"] = Ttl.ToString(),
            ["Sample:FleetApiBaseUrl"] = simulator.BaseAddress.ToString(),
            ["Sample:PollInterval"] = PollInterval.ToString(),
            ["Sample:VehicleListMaxAge"] = "00:00:01",
            ["Sample:TokenRefreshInterval"] = "00:00:01",
            ["Sample:TokenRefreshWindow"] = "00:00:02",
            ["Sample:TokenSkew"] = "00:00:01",
            ["Sample:ConsoleTelemetry"] = "false",
        });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        return builder.Build();
    }

    /// <summary>Waits for <paramref name="condition"/>; past two minutes fails with what the instances logged last.</summary>
    private static async Task Until(Func<bool> condition, string what, CapturedLogs logs, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                Assert.Fail($"Not reached within 2 minutes: {what}. Last log lines:\n{string.Join('\n', logs.Lines.TakeLast(15))}");
            }

            await Task.Delay(50, ct);
        }
    }

    // The simulator's tokens: rt-… refresh tokens and at-… access tokens.
    [GeneratedRegex(@"\b(rt|at)-[0-9A-F]{16}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();
}
