using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TeslaDb.FleetSimulator;

namespace TeslaDb.Samples.Tests;

/// <summary>The simulator behaves like Tesla where the sample depends on it: single-use refresh tokens, 408 from a
/// sleeping car, 429 with Retry-After, and the billing meter counting every answer below 500.</summary>
public sealed class FleetSimulatorTests : IAsyncLifetime
{
    private TeslaFleetSimulator _simulator = null!;
    private HttpClient _http = null!;

    // The simulator's clock stands still unless a test moves it: rate limits and expiry do not depend on how fast
    // a loaded machine runs the test.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    public async ValueTask InitializeAsync()
    {
        _simulator = await TeslaFleetSimulator.StartAsync(new SimulatorOptions { DataRequestsPerMinute = 5, Time = _time }, TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_logs_the_owner_out()
    {
        var account = _simulator.AddAccount("owner@example.com", cars: 1);
        var first = account.CurrentRefreshToken;

        using var refreshed = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await refreshed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.NotEqual(first, body.GetProperty("refresh_token").GetString());
        Assert.Equal(28800, body.GetProperty("expires_in").GetInt32());

        using var reused = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("login_required", await reused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(account.LoggedOut);
        using var afterLogout = await RefreshAsync(account.CurrentRefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode); // even the newest token: the owner must log in again
        Assert.Equal(0, _simulator.Billing.BillableCalls); // the OAuth server is not billed
    }

    [Fact]
    public async Task Refreshing_one_owner_leaves_the_others_logged_in()
    {
        var first = _simulator.AddAccount("first@example.com", cars: 1);
        var second = _simulator.AddAccount("second@example.com", cars: 1);

        using var a = await RefreshAsync(second.CurrentRefreshToken);
        using var b = await RefreshAsync(first.CurrentRefreshToken);
        using var unknown = await RefreshAsync("rt-never-issued");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.False(first.LoggedOut);
        Assert.False(second.LoggedOut);
    }

    [Fact]
    public async Task A_sleeping_car_answers_408_billed_and_a_wake_makes_it_answer()
    {
        var account = _simulator.AddAccount("sleeper@example.com", cars: 1);
        var car = account.Vehicles[0];
        car.State = "asleep";
        await AuthorizeAsync(account);

        using var asleep = await _http.GetAsync($"/api/1/vehicles/{car.Id}/vehicle_data?endpoints=charge_state", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestTimeout, asleep.StatusCode);
        using var wake = await _http.PostAsync($"/api/1/vehicles/{car.Id}/wake_up", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, wake.StatusCode);
        var data = await _http.GetFromJsonAsync<JsonElement>($"/api/1/vehicles/{car.Id}/vehicle_data?endpoints=charge_state", TestContext.Current.CancellationToken);

        Assert.Equal(72, data.GetProperty("response").GetProperty("charge_state").GetProperty("battery_level").GetInt32());
        Assert.Equal(2, _simulator.Billing.DataRequests); // the 408 is billed too
        Assert.Equal(1, _simulator.Billing.Wakes);
        Assert.Equal(2 * FleetBilling.DataRequestPrice + FleetBilling.WakePrice, _simulator.Billing.Dollars);
    }

    [Fact]
    public async Task The_vehicle_list_keeps_ids_beyond_2_pow_53_exact()
    {
        var account = _simulator.AddAccount("list@example.com", cars: 2);
        await AuthorizeAsync(account);

        var list = await _http.GetFromJsonAsync<JsonElement>("/api/1/vehicles", TestContext.Current.CancellationToken);

        var ids = list.GetProperty("response").EnumerateArray().Select(v => v.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(account.Vehicles.Select(v => v.Id), ids);
        Assert.All(ids, id => Assert.True(id > 1L << 53));
    }

    [Fact]
    public async Task Past_the_rate_limit_a_car_answers_429_with_Retry_After()
    {
        var account = _simulator.AddAccount("busy@example.com", cars: 1);
        await AuthorizeAsync(account);
        var url = $"/api/1/vehicles/{account.Vehicles[0].Id}/vehicle_data?endpoints=drive_state";

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _http.GetAsync(url, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(6, _simulator.Billing.DataRequests);

        _time.Advance(TimeSpan.FromMinutes(1.5));
        using var later = await _http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _http.PostAsync("/oauth2/v3/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "sample", ["refresh_token"] = refreshToken,
        }), TestContext.Current.CancellationToken);

    private async Task AuthorizeAsync(SimulatedAccount account)
    {
        using var response = await RefreshAsync(account.CurrentRefreshToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
    }
}
