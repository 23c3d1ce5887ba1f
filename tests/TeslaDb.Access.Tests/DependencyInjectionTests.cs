using Microsoft.Extensions.DependencyInjection;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.DependencyInjection;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;
using TeslaDb.Connection;

namespace TeslaDb.Access.Tests;

/// <summary>One call registers the data source and the repositories, from a keyword string or a postgres:// URL.</summary>
public sealed class DependencyInjectionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task AddTeslaDb_with_a_url_gives_working_repositories_sharing_one_data_source()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = new ServiceCollection().AddLogging().AddTeslaDb(fixture.Database.Url).BuildServiceProvider();

        var accounts = provider.GetRequiredService<TeslaAccountRepository>();
        var account = await accounts.CreateAsync(Guid.NewGuid(), "Via DI", cancellationToken: ct);

        Assert.Equal("Via DI", await fixture.Database.ScalarAsync<string>("SELECT account_name FROM tesla_accounts WHERE id = @id", ("id", account.Id)));
        Assert.NotNull(provider.GetRequiredService<TokenRepository>());
        Assert.NotNull(provider.GetRequiredService<VehicleRepository>());
        Assert.NotNull(provider.GetRequiredService<VehicleCacheRepository>());
        Assert.Same(provider.GetRequiredService<TeslaDbDatabase>(), provider.GetRequiredService<TeslaDbDatabase>());
        Assert.Equal(fixture.Database.Description, provider.GetRequiredService<TeslaDbDatabase>().Description);
    }

    [Fact]
    public void A_malformed_connection_string_fails_at_registration_without_echoing_the_password()
    {
        var error = Assert.Throws<ConnectionStringException>(() => new ServiceCollection().AddTeslaDb("postgresql://u:hunter2@/db"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
