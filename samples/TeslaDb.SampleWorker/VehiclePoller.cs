using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.SampleWorker;

/// <summary>
/// What an app does all day: for every account, its cars, and for every car the endpoints it shows. The cache
/// decides whether Tesla is called: fresh rows are served, one instance fetches per miss, sleeping cars are not
/// woken (their last data is served), and Tesla's failures are answered with stale data marked as such.
/// </summary>
public sealed class VehiclePoller(
    TeslaAccountRepository accounts,
    VehicleRepository vehicles,
    VehicleCacheRepository cache,
    TokenRepository tokens,
    FleetApiClient fleet,
    TeslaCalls tesla,
    IOptions<SampleOptions> options,
    ILogger<VehiclePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            await foreach (var account in AllAccountsAsync(stoppingToken))
            {
                try
                {
                    await PollAccountAsync(account, stoppingToken);
                }
                catch (TokenReauthenticationRequiredException)
                {
                    logger.LogWarning("Account {AccountId} needs its owner to log in again; skipped", account.Id);
                }
                catch (Exception e) when (e is HttpRequestException or FleetApiException or TimeoutException)
                {
                    logger.LogWarning("Account {AccountId}: {Problem}", account.Id, e.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollAccountAsync(AccountSummary account, CancellationToken cancellationToken)
    {
        var accessToken = await tokens.GetValidAccessTokenAsync(account.Id, tesla.RefreshAsync, options.Value.TokenSkew, cancellationToken: cancellationToken);
        var cars = await vehicles.ListSyncedWithinAsync(account.Id, options.Value.VehicleListMaxAge, cancellationToken);
        if (cars.Count == 0)
        {
            // The list does not wake the cars and tells their state, which the cache reads to leave sleepers alone.
            var list = await fleet.ListVehiclesAsync(accessToken, cancellationToken);
            await vehicles.UpsertAsync(account.Id, list.EnumerateArray(), cancellationToken);
            cars = await vehicles.ListAsync(account.Id, cancellationToken);
        }

        foreach (var car in cars)
        {
            try
            {
                await PollCarAsync(account, car, accessToken, cancellationToken);
            }
            catch (FleetApiException e) when (e.Failure == FleetFailure.VehicleAsleep)
            {
                // Asleep with nothing cached yet: nothing to serve, and waking it is not this app's call.
                logger.LogDebug("{Vin} is asleep and has no cached data yet", car.Vin);
            }
        }
    }

    private async Task PollCarAsync(AccountSummary account, Vehicle car, string accessToken, CancellationToken cancellationToken)
    {
        foreach (var endpoint in options.Value.Endpoints)
        {
            var result = await cache.GetOrFetchAsync(
                new CacheRequest(account.Id, car.Id, endpoint),
                ct => tesla.FetchAsync(car.TeslaId, endpoint, accessToken, ct),
                cancellationToken);
            if (result.IsStale)
            {
                logger.LogDebug("{Endpoint} of {Vin} served stale ({Age}): {Reason}", endpoint, car.Vin, result.Age, result.Reason);
            }
        }
    }

    private async IAsyncEnumerable<AccountSummary> AllAccountsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AccountCursor? after = null;
        do
        {
            var page = await accounts.BrowseAsync(after: after, pageSize: 500, cancellationToken: cancellationToken);
            foreach (var account in page.Items.Where(a => a.IsActive))
            {
                yield return account;
            }

            after = page.Next;
        }
        while (after is not null);
    }
}
