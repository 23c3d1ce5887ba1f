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
    public async Task Token_keys_from_the_options_encrypt_and_a_malformed_keyring_fails_at_registration()
    {
        var ct = TestContext.Current.CancellationToken;
        var entry = Tokens.Protection.TokenKeyring.GenerateEntry("di-key");
        await using var provider = new ServiceCollection().AddTeslaDb(o => { o.ConnectionString = fixture.Database.Url; o.TokenKeys = entry; }).BuildServiceProvider();
        var account = await provider.GetRequiredService<TeslaAccountRepository>().CreateAsync(Guid.NewGuid(), "DI keys", cancellationToken: ct);

        var key = await provider.GetRequiredService<TokenRepository>().StoreAsync(account.Id, TeslaSamples.Token("eyJ.di", "EU.di"), TimeSpan.FromHours(1), ct);

        Assert.Equal(["di-key"], provider.GetRequiredService<TeslaDbDatabase>().TokenKeyIds);
        Assert.Equal("di-key", await fixture.Database.ScalarAsync<string>("SELECT token_data ->> 'kid' FROM tokens WHERE key = @k", ("k", key)));
        var bad = entry[..^8] + "=";
        var error = Assert.Throws<TokenKeyException>(() => new ServiceCollection().AddTeslaDb(o => { o.ConnectionString = fixture.Database.Url; o.TokenKeys = bad; }));
        Assert.Contains("'di-key'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(bad[7..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_fails_at_registration_without_echoing_the_password()
    {
        var error = Assert.Throws<ConnectionStringException>(() => new ServiceCollection().AddTeslaDb("postgresql://u:hunter2@/db"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
