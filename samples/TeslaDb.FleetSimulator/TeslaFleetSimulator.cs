using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TeslaDb.FleetSimulator;

/// <summary>
/// Tesla's Fleet API and OAuth server on a loopback port: <c>POST /oauth2/v3/token</c> (refresh-token grant with
/// single-use rotation), <c>GET /api/1/vehicles</c>, <c>GET /api/1/vehicles/{id}/vehicle_data?endpoints=a;b</c>
/// (408 when the car sleeps), <c>POST /api/1/vehicles/{id}/wake_up</c>, 429 with <c>Retry-After</c> past the rate
/// limit, and <see cref="Billing"/>, the meter of what Tesla would charge.
/// </summary>
public sealed class TeslaFleetSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorOptions _options;
    private readonly ConcurrentDictionary<string, SimulatedAccount> _accounts = new();
    private readonly ConcurrentDictionary<long, Queue<DateTimeOffset>> _recentRequests = new();
    private long _nextVehicle;

    private TeslaFleetSimulator(WebApplication app, SimulatorOptions options)
    {
        _app = app;
        _options = options;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public FleetBilling Billing { get; } = new();

    public IReadOnlyCollection<SimulatedAccount> Accounts => [.. _accounts.Values];

    /// <summary>Starts the simulator on a free loopback port.</summary>
    public static async Task<TeslaFleetSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var simulator = new TeslaFleetSimulator(app, options ?? new SimulatorOptions());
        simulator.MapRoutes();
        await app.StartAsync(cancellationToken);
        simulator.BaseAddress = new Uri(app.Urls.First());
        return simulator;
    }

    /// <summary>Adds an account with <paramref name="cars"/> online cars; its <see cref="SimulatedAccount.CurrentRefreshToken"/>
    /// is what the owner's login would give the app.</summary>
    public SimulatedAccount AddAccount(string email, int cars)
    {
        var vehicles = Enumerable.Range(0, cars).Select(_ =>
        {
            var n = Interlocked.Increment(ref _nextVehicle);
            return new SimulatedVehicle(
                1_492_931_500_000_000_000 + n, 1_000_000_000 + n, $"5YJ3E1EA{n % 10}PF{n:D6}", $"Car {n}");
        }).ToList();
        var account = new SimulatedAccount(email, vehicles);
        if (!_accounts.TryAdd(email, account))
        {
            throw new InvalidOperationException($"The simulator already has an account {email}.");
        }

        return account;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    private void MapRoutes()
    {
        _app.MapPost("/oauth2/v3/token", (Func<HttpContext, Task<IResult>>)RefreshAsync); // a route handler: its IResult is written
        _app.MapGet("/api/1/vehicles", (HttpContext http) => Fleet(http, null, FleetCallKind.Data, (account, _) =>
            Ok(new JsonArray([.. account.Vehicles.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id, ["vehicle_id"] = v.VehicleId, ["vin"] = v.Vin, ["display_name"] = v.DisplayName,
                ["state"] = v.State, ["in_service"] = false, ["access_type"] = "OWNER", ["api_version"] = 73,
                ["id_s"] = v.Id.ToString(CultureInfo.InvariantCulture), ["calendar_enabled"] = true,
            })]))));
        _app.MapGet("/api/1/vehicles/{id:long}/vehicle_data", (HttpContext http, long id, string? endpoints) =>
            Fleet(http, id, FleetCallKind.Data, (_, vehicle) =>
            {
                if (vehicle!.State != "online")
                {
                    return Results.Json(new JsonObject { ["response"] = null, ["error"] = $"vehicle unavailable: vehicle is {vehicle.State}" }, statusCode: 408);
                }

                var response = new JsonObject { ["id"] = vehicle.Id, ["vin"] = vehicle.Vin, ["state"] = vehicle.State };
                foreach (var endpoint in (endpoints ?? string.Join(';', VehicleDataShapes.Endpoints)).Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    response[endpoint] = VehicleDataShapes.Section(endpoint, vehicle, Now);
                }

                return Ok(response);
            }));
        _app.MapPost("/api/1/vehicles/{id:long}/wake_up", (HttpContext http, long id) =>
            Fleet(http, id, FleetCallKind.Wake, (_, vehicle) =>
            {
                vehicle!.State = "online";
                return Ok(new JsonObject { ["id"] = vehicle.Id, ["state"] = vehicle.State });
            }));
    }

    private async Task<IResult> RefreshAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || string.IsNullOrEmpty(form["refresh_token"]))
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_request" }, statusCode: 400);
        }

        var token = form["refresh_token"].ToString();
        var account = _accounts.Values.FirstOrDefault(a => a.Issued(token));
        if (account is null || account.LoggedOut)
        {
            return LoginRequired();
        }

        // A token this account issued that is no longer usable (reused) logs the owner out, as Tesla does.
        if (account.Refresh(token, Now, _options.AccessTokenLifetime, _options.PreviousRefreshTokenGrace) is not { } pair)
        {
            return LoginRequired();
        }

        return Results.Json(new JsonObject
        {
            ["access_token"] = pair.Access, ["refresh_token"] = pair.Refresh, ["id_token"] = "id-" + pair.Access[..16],
            ["expires_in"] = (int)_options.AccessTokenLifetime.TotalSeconds, ["token_type"] = "Bearer",
        });
    }

    private IResult Fleet(HttpContext http, long? vehicleId, FleetCallKind kind, Func<SimulatedAccount, SimulatedVehicle?, IResult> answer)
    {
        var bearer = http.Request.Headers.Authorization.ToString();
        var account = bearer.StartsWith("Bearer ", StringComparison.Ordinal)
            ? _accounts.Values.FirstOrDefault(a => a.Accepts(bearer["Bearer ".Length..], Now))
            : null;
        if (account is null)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid bearer token" }, statusCode: 401);
        }

        var vehicle = vehicleId is { } id ? account.Find(id) : null;
        if (vehicleId is not null && vehicle is null)
        {
            return Results.Json(new JsonObject { ["error"] = "not_found" }, statusCode: 404);
        }

        Billing.Bill(kind); // every answer below 500 is billed from here on, 408 and 429 included
        if (account.RateLimitedUntil is { } until && Now < until || (vehicle is not null && OverRateLimit(vehicle.Id)))
        {
            var retryAfter = account.RateLimitedUntil is { } u && u > Now ? u - Now : _options.RetryAfter;
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject { ["error"] = "Too Many Requests" }, statusCode: 429);
        }

        return answer(account, vehicle);
    }

    private bool OverRateLimit(long vehicleId)
    {
        var recent = _recentRequests.GetOrAdd(vehicleId, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            while (recent.Count > 0 && Now - recent.Peek() > TimeSpan.FromMinutes(1))
            {
                recent.Dequeue();
            }

            recent.Enqueue(Now);
            return recent.Count > _options.DataRequestsPerMinute;
        }
    }

    private static IResult Ok(JsonNode response) => Results.Json(new JsonObject { ["response"] = response });

    private static IResult LoginRequired() =>
        Results.Json(new JsonObject { ["error"] = "login_required", ["error_description"] = "The refresh token is no longer valid." }, statusCode: 401);
}
