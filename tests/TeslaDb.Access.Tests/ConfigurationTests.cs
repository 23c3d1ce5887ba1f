using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeslaDb.Access.Cache;
using TeslaDb.Access.DependencyInjection;

namespace TeslaDb.Access.Tests;

/// <summary><c>AddTeslaDb(configuration.GetSection("TeslaDb"))</c>: options bound from configuration (cache policies
/// among them) and validated at start-up, one line per problem.</summary>
public sealed class ConfigurationTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configuration_section_binds_the_connection_and_the_cache_policies_over_the_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeslaDb:ConnectionString"] = fixture.Database.Url,
            ["TeslaDb:Cache:SoftTimeout"] = "00:00:01.500",
            ["TeslaDb:Cache:Endpoints:charge_state:Ttl"] = "00:02:00",
            ["TeslaDb:Cache:Endpoints:charge_state:MayWake"] = "true",
            ["TeslaDb:Cache:Endpoints:nearby_charging_sites:Ttl"] = "00:10:00",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddTeslaDb(configuration.GetSection("TeslaDb"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var (account, vehicles) = await fixture.SeedAsync();

        var options = provider.GetRequiredService<IOptions<TeslaDbOptions>>().Value.Cache;
        await provider.GetRequiredService<VehicleCacheRepository>().GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), _ => Task.FromResult(TeslaSamples.ChargeState(90)), Ct);

        Assert.Equal(new CachePolicy(TimeSpan.FromMinutes(2), TimeSpan.FromHours(1), true, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30)), options.PolicyFor("charge_state"));
        Assert.Equal(TimeSpan.FromDays(1), options.PolicyFor("vehicle_config").Ttl);
        Assert.Equal(TimeSpan.FromMinutes(10), options.PolicyFor("nearby_charging_sites").Ttl);
        Assert.Equal(120, await fixture.Database.ScalarAsync<double>(
            "SELECT extract(epoch FROM expires_at - last_fetched_at)::float8 FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])));
    }

    [Fact]
    public async Task Invalid_configuration_fails_at_start_up_with_one_line_per_problem_and_no_password()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeslaDb:ConnectionString"] = "postgresql://u:hunter2@/db",
            ["TeslaDb:Cache:HardTimeout"] = "00:00:01",
            ["TeslaDb:Cache:Endpoints:charge_state:Ttl"] = "-00:00:05",
        }).Build();
        await using var provider = new ServiceCollection().AddTeslaDb(configuration.GetSection("TeslaDb")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("TeslaDb:ConnectionString: ", StringComparison.Ordinal));
        Assert.Contains("TeslaDb:Cache:SoftTimeout (00:00:02) must not exceed Cache:HardTimeout (00:00:01).", error.Failures);
        Assert.Contains("TeslaDb:Cache:Endpoints:charge_state:Ttl must be positive (it is -00:00:05).", error.Failures);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
