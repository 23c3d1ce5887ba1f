using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Cache;

/// <summary>
/// Read-through with one fetch per miss (in this process and across instances), fail-safe stale serving, per-endpoint
/// policies, sleeping cars left alone and a back-off shared through the database. The hit path is one statement.
/// </summary>
public sealed partial class VehicleCacheRepository
{
    internal const string ReadSql = """
        SELECT response_data::text, (expires_at IS NULL OR expires_at > now()), now() - last_fetched_at
          FROM public.vehicle_data_cache
         WHERE vehicle_id = @vehicle_id AND endpoint_name = @endpoint_name AND tesla_account_id = @account_id
        """;

    /// <summary>
    /// The fresh cached response, or else the result of <paramref name="fetch"/> (the caller's call to Tesla), stored
    /// with <paramref name="ttl"/> (null: never expires) and returned (seed operations 5 and 6 in one call). Concurrent
    /// misses of one (vehicle, endpoint) make one fetch, and a failing or slow fetch is answered with a stored response
    /// within the endpoint's max-stale window: use <see cref="GetOrFetchAsync(CacheRequest, Func{CancellationToken, Task{JsonElement}}, CancellationToken)"/>
    /// to know whether the answer is stale and how old it is.
    /// </summary>
    public async Task<JsonElement> GetOrFetchAsync(
        Guid accountId, Guid vehicleId, string endpointName, TimeSpan? ttl, Func<CancellationToken, Task<JsonElement>> fetch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        TeslaDbValidation.Endpoint(endpointName);
        if (ttl is { } t)
        {
            TeslaDbValidation.Ttl(t);
        }

        var policy = database.CacheOptions.PolicyFor(endpointName) with { Ttl = ttl };
        return (await ReadThroughAsync(new CacheRequest(accountId, vehicleId, endpointName, ttl), policy, fetch, cancellationToken)).Value;
    }

    /// <summary>
    /// The fresh cached response, or else the result of <paramref name="fetch"/> stored under the endpoint's policy (or
    /// the request's TTL). Callers missing at once, here or in other instances, wait for one fetch and share its result,
    /// never longer than the hard timeout. When the fetch throws, times out, is rate limited (now or by the account's
    /// back-off), or the car sleeps and may not be woken, the stored response is returned marked
    /// <see cref="CacheResult.IsStale"/> with its <see cref="CacheResult.Age"/> — if it is within max-stale (any age for a
    /// sleeping car); otherwise the fetch's exception (a <see cref="TimeoutException"/> after the hard timeout).
    /// </summary>
    /// <exception cref="ArgumentException">A bad endpoint name or TTL, a fetched payload PostgreSQL would reject, or a
    /// vehicle that is not the account's.</exception>
    public Task<CacheResult> GetOrFetchAsync(CacheRequest request, Func<CancellationToken, Task<JsonElement>> fetch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fetch);
        TeslaDbValidation.Endpoint(request.EndpointName, nameof(request));
        var policy = database.CacheOptions.PolicyFor(request.EndpointName);
        if (request.Ttl is { } ttl)
        {
            policy = policy with { Ttl = TeslaDbValidation.Ttl(ttl) };
        }

        return ReadThroughAsync(request, policy, fetch, cancellationToken);
    }

    private async Task<CacheResult> ReadThroughAsync(CacheRequest request, CachePolicy policy, Func<CancellationToken, Task<JsonElement>> fetch, CancellationToken cancellationToken)
    {
        var began = Stopwatch.GetTimestamp();
        var endpoint = CacheTelemetry.Endpoint(request.EndpointName);
        try
        {
            var stored = await ReadAsync(request, cancellationToken);
            if (stored is { Fresh: true })
            {
                CacheTelemetry.Hits.Add(1, endpoint);
                return new CacheResult(stored.Value, false, stored.Age);
            }

            CacheTelemetry.Misses.Add(1, endpoint);
            var fallback = stored is not null && stored.Age <= policy.MaxStale ? stored : null;
            var retryAfter = database.CacheOptions.DefaultRetryAfter;
            var (flight, started) = database.CacheFlights.Join(
                (request.TeslaAccountId, request.VehicleId, request.EndpointName),
                () => new CacheFlight(database, request, policy, retryAfter, fetch).RunAsync());
            if (!started)
            {
                CacheTelemetry.CoalescedWaits.Add(1, endpoint);
            }

            try
            {
                // With something to fall back on, wait only the soft timeout; the fetch goes on and stores its result.
                var result = await flight.WaitAsync(fallback is null ? policy.HardTimeout : policy.SoftTimeout, cancellationToken);
                if (result.IsStale)
                {
                    CacheTelemetry.StaleServed.Add(1, endpoint);
                }

                return result;
            }
            catch (Exception e) when (fallback is not null && !cancellationToken.IsCancellationRequested)
            {
                CacheTelemetry.StaleServed.Add(1, endpoint);
                var reason = e switch
                {
                    TimeoutException when !flight.IsCompleted => StaleReason.SoftTimeout,
                    TimeoutException => StaleReason.HardTimeout,
                    TeslaRateLimitedException => StaleReason.RateLimited,
                    HttpRequestException { StatusCode: System.Net.HttpStatusCode.TooManyRequests } => StaleReason.RateLimited,
                    _ => StaleReason.FetchFailed,
                };
                return new CacheResult(fallback.Value, true, fallback.Age + Stopwatch.GetElapsedTime(began), reason, e);
            }
            catch (TimeoutException e) when (!flight.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"No answer for {request.EndpointName} within the hard timeout ({policy.HardTimeout}) and no stored response within max-stale ({policy.MaxStale}).", e);
            }
        }
        finally
        {
            CacheTelemetry.ReadDuration.Record(Stopwatch.GetElapsedTime(began).TotalSeconds, endpoint);
        }
    }

    // A standby may serve it: a row it has not replayed yet only means a miss, and the fill re-reads on the primary
    // under its lock before asking Tesla.
    private Task<StoredResponse?> ReadAsync(CacheRequest request, CancellationToken cancellationToken) =>
        database.ReadAsync("Cache.Read", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command("Cache.Read", ReadSql, connection);
            command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = request.VehicleId });
            command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = request.EndpointName });
            command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = request.TeslaAccountId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new StoredResponse(Json.Parse(reader.GetString(0)), reader.GetBoolean(1), reader.GetFieldValue<TimeSpan>(2))
                : null;
        }, cancellationToken);
}
