using System.Text.Json;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;

namespace TeslaDb.SampleWorker;

/// <summary>The sample's calls to Tesla in the shapes the toolkit takes: the refresh delegate of the token repository
/// and the fetch of the cache, with Tesla's failures translated into the exceptions the toolkit acts on.</summary>
public sealed class TeslaCalls(FleetApiClient fleet, SampleOptions options)
{
    /// <summary>The token endpoint call, for <see cref="TokenRepository.GetValidAccessTokenAsync"/> and the background pass.</summary>
    public async Task<JsonElement> RefreshAsync(TokenRefreshRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await fleet.RefreshAsync(request.RefreshToken, options.ClientId, cancellationToken);
        }
        catch (FleetApiException e) when (e.Failure == FleetFailure.LoginRequired)
        {
            throw new TeslaLoginRequiredException(e.Message, e);
        }
    }

    /// <summary>One endpoint of one car, for <see cref="VehicleCacheRepository.GetOrFetchAsync(CacheRequest, Func{CancellationToken, Task{JsonElement}}, CancellationToken)"/>.</summary>
    public async Task<JsonElement> FetchAsync(long teslaId, string endpoint, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            return await fleet.GetVehicleDataAsync(teslaId, endpoint, accessToken, cancellationToken);
        }
        catch (FleetApiException e) when (e.Failure == FleetFailure.RateLimited)
        {
            throw new TeslaRateLimitedException(e.RetryAfter); // every instance backs off until then
        }
    }
}
