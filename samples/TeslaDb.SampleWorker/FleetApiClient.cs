using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeslaDb.SampleWorker;

/// <summary>The few Tesla calls the sample makes, with Tesla's failures turned into exceptions the toolkit knows
/// what to do with: 401 <c>login_required</c> on a refresh, 408 from a sleeping car, 429 with Retry-After.</summary>
public sealed class FleetApiClient(HttpClient http)
{
    /// <summary>Exchanges a (single-use) refresh token for a new token pair: the raw JSON Tesla answered.</summary>
    public async Task<JsonElement> RefreshAsync(string refreshToken, string clientId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/oauth2/v3/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken,
        }), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new FleetApiException(FleetFailure.LoginRequired, "Tesla refused the refresh token (login_required): the owner must log in again.");
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>The account's vehicle list (does not wake the cars; tells their state).</summary>
    public Task<JsonElement> ListVehiclesAsync(string accessToken, CancellationToken cancellationToken) =>
        GetAsync("/api/1/vehicles", accessToken, cancellationToken);

    /// <summary>One section of <c>vehicle_data</c> (e.g. <c>charge_state</c>) of one car.</summary>
    public async Task<JsonElement> GetVehicleDataAsync(long teslaId, string endpoint, string accessToken, CancellationToken cancellationToken)
    {
        var body = await GetAsync($"/api/1/vehicles/{teslaId}/vehicle_data?endpoints={endpoint}", accessToken, cancellationToken);
        return body.GetProperty(endpoint).Clone();
    }

    private async Task<JsonElement> GetAsync(string path, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestTimeout:
                throw new FleetApiException(FleetFailure.VehicleAsleep, "The vehicle is asleep or offline (408).");
            case HttpStatusCode.TooManyRequests:
                throw new FleetApiException(FleetFailure.RateLimited, "Tesla rate-limited the account (429).")
                {
                    RetryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMinutes(1),
                };
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("response").Clone();
    }
}

public enum FleetFailure
{
    LoginRequired,
    VehicleAsleep,
    RateLimited,
}

/// <summary>A Tesla answer the caller must act on; its message never holds a token.</summary>
public sealed class FleetApiException(FleetFailure failure, string message) : Exception(message)
{
    public FleetFailure Failure { get; } = failure;

    public TimeSpan? RetryAfter { get; init; }
}
