using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeslaDb.Access.DependencyInjection;

namespace TeslaDb.Access.Tests;

/// <summary>The <c>TeslaDb:Routing</c> section: bound over the defaults, and checked at start-up one line per problem
/// (naming the setting, never repeating a password).</summary>
public sealed class RoutingConfigurationTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task The_routing_section_binds_over_the_defaults_and_a_read_connection_gives_the_database_replicas()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeslaDb:ConnectionString"] = fixture.Database.Url,
            ["TeslaDb:Routing:ReadConnectionString"] = fixture.Database.ConnectionString,
            ["TeslaDb:Routing:MaxReplicaLag"] = "00:00:02",
            ["TeslaDb:Routing:ReadAttempts"] = "2",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddTeslaDb(configuration.GetSection("TeslaDb")).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var routing = provider.GetRequiredService<IOptions<TeslaDbOptions>>().Value.Routing;
        var database = provider.GetRequiredService<TeslaDbDatabase>();

        Assert.Equal((TimeSpan.FromSeconds(2), 2, TimeSpan.FromSeconds(1)), (routing.MaxReplicaLag, routing.ReadAttempts, routing.LagSampleLifetime));
        Assert.True(database.HasReadReplicas);
        Assert.False(fixture.Access.HasReadReplicas);
    }

    [Fact]
    public async Task Invalid_routing_fails_at_start_up_with_one_line_per_problem_and_no_password()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TeslaDb:ConnectionString"] = fixture.Database.ConnectionString,
            ["TeslaDb:Routing:ReadConnectionString"] = "postgresql://u:hunter2@/db",
            ["TeslaDb:Routing:MaxReplicaLag"] = "00:00:00",
            ["TeslaDb:Routing:ReadAttempts"] = "0",
        }).Build();
        await using var provider = new ServiceCollection().AddTeslaDb(configuration.GetSection("TeslaDb")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("TeslaDb:Routing:MaxReplicaLag must be positive (it is 00:00:00).", error.Failures);
        Assert.Contains("TeslaDb:Routing:ReadAttempts must be at least 1 (it is 0).", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("TeslaDb:Routing:ReadConnectionString: ", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
