using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Tokens;
using TeslaDb.FleetSimulator;

namespace TeslaDb.SampleWorker;

/// <summary>For a run without Tesla: the owners' logins the simulator would have seen — an account row and a token
/// (its access token already expired, so the first poll refreshes it) per simulated account.</summary>
public static class SimulatedFleet
{
    public static async Task SeedAsync(IServiceProvider services, TeslaFleetSimulator simulator, int accounts, int carsPerAccount, CancellationToken cancellationToken)
    {
        var accountRepository = services.GetRequiredService<TeslaAccountRepository>();
        var tokens = services.GetRequiredService<TokenRepository>();
        for (var i = 0; i < accounts; i++)
        {
            var owner = simulator.AddAccount($"owner{i}@example.com", carsPerAccount);
            var account = await accountRepository.CreateAsync(Guid.NewGuid(), $"Sample account {i}", owner.Email, cancellationToken);
            var token = JsonSerializer.SerializeToElement(new
            {
                access_token = "expired-at-start",
                refresh_token = owner.CurrentRefreshToken,
                expires_in = 1,
                token_type = "Bearer",
            });
            await tokens.StoreAsync(account.Id, token, TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
