using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace TeslaDb.Access.Cache;

/// <summary>
/// The one fetch of a miss, across every instance on the database. In one transaction: take a transaction-scoped
/// advisory lock on (vehicle, endpoint) — waiting at most until the hard timeout — then look at the row again (another
/// instance may have fetched it while we waited), the car's last known state and the account's back-off; fetch only
/// if all of that says so, store the result and commit, which releases the lock to the next instance.
/// </summary>
/// <remarks>
/// Transaction-scoped (<c>pg_advisory_xact_lock</c>), not session-scoped: a transaction-mode pooler (PgBouncer,
/// Supabase port 6543) keeps one server connection for a whole transaction, so the lock holds there, whereas a session
/// lock could be taken and released on different server connections. The lock key is a 64-bit hash of
/// "vehicle/endpoint"; a collision only makes two keys wait for each other.
/// </remarks>
internal sealed class CacheFlight(TeslaDbDatabase database, CacheRequest request, CachePolicy policy, TimeSpan defaultRetryAfter, Func<CancellationToken, Task<JsonElement>> fetch)
{
    internal const string LockSql = """
        SELECT set_config('lock_timeout', @lock_timeout, true);
        SELECT pg_advisory_xact_lock(hashtextextended(@vehicle_id::text || '/' || @endpoint_name, 0))
        """;

    internal const string RecheckSql = """
        SELECT v.state,
               (SELECT b.retry_at FROM public.tesla_api_backoff b WHERE b.tesla_account_id = v.tesla_account_id AND b.retry_at > now()),
               c.response_data::text, (c.expires_at IS NULL OR c.expires_at > now()), now() - c.last_fetched_at
          FROM public.vehicles v
          LEFT JOIN public.vehicle_data_cache c ON c.vehicle_id = v.id AND c.endpoint_name = @endpoint_name
         WHERE v.id = @vehicle_id AND v.tesla_account_id = @account_id
        """;

    internal const string BackoffSql = """
        INSERT INTO public.tesla_api_backoff (tesla_account_id, retry_at, reason)
        VALUES (@account_id, now() + @retry_after, @reason)
        ON CONFLICT (tesla_account_id) DO UPDATE SET
            retry_at = greatest(public.tesla_api_backoff.retry_at, EXCLUDED.retry_at),
            reason = EXCLUDED.reason,
            updated_at = now()
        """;

    private readonly KeyValuePair<string, object?> _endpoint = CacheTelemetry.Endpoint(request.EndpointName);

    public async Task<CacheResult> RunAsync()
    {
        using var activity = CacheTelemetry.Source.StartActivity("tesladb.cache.fetch");
        activity?.SetTag(_endpoint.Key, _endpoint.Value);
        var began = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(policy.HardTimeout);
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(deadline.Token);
            await using var transaction = await connection.BeginTransactionAsync(deadline.Token);
            await LockAsync(connection, transaction, policy.HardTimeout - Stopwatch.GetElapsedTime(began), deadline.Token);
            var row = await RecheckAsync(connection, transaction, deadline.Token);
            if (row.Stored is { Fresh: true } fresh)
            {
                // Another instance (or an earlier fetch here) stored it while we waited for the lock.
                return new CacheResult(fresh.Value, false, fresh.Age);
            }

            if (row.Stored is { } sleeping && row.State is "asleep" or "offline" && !policy.MayWake)
            {
                return new CacheResult(sleeping.Value, true, sleeping.Age, StaleReason.VehicleAsleep);
            }

            if (row.RetryAt is { } retryAt)
            {
                throw new TeslaRateLimitedException($"Tesla asked this account to wait until {retryAt:u}; no request is made before then.") { RetryAt = retryAt };
            }

            var value = await FetchAsync(connection, transaction, deadline.Token);
            await StoreAsync(connection, transaction, value, deadline.Token);
            await transaction.CommitAsync(deadline.Token);
            return new CacheResult(value, false, TimeSpan.Zero);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "hard timeout");
            throw new TimeoutException($"The fetch of {request.EndpointName} did not finish within the hard timeout ({policy.HardTimeout}).", e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "hard timeout");
            throw new TimeoutException($"Another instance's fetch of {request.EndpointName} did not finish within the hard timeout ({policy.HardTimeout}).", e);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw; // never: the filter only notes a server that went away
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan wait, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Cache.FetchLock", LockSql, connection, transaction);
        var milliseconds = Math.Max(1, (long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        command.Parameters.Add(new NpgsqlParameter("lock_timeout", NpgsqlDbType.Text) { Value = milliseconds });
        command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = request.VehicleId });
        command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = request.EndpointName });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(string? State, DateTimeOffset? RetryAt, StoredResponse? Stored)> RecheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Cache.Recheck", RecheckSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = request.TeslaAccountId });
        command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = request.VehicleId });
        command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = request.EndpointName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new ArgumentException($"Vehicle {request.VehicleId} is not a vehicle of account {request.TeslaAccountId}: nothing is fetched or stored for it.", nameof(request));
        }

        return (
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : new StoredResponse(Json.Parse(reader.GetString(2)), reader.GetBoolean(3), reader.GetFieldValue<TimeSpan>(4)));
    }

    private async Task<JsonElement> FetchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        CacheTelemetry.Fetches.Add(1, _endpoint);
        var began = Stopwatch.GetTimestamp();
        try
        {
            var value = await fetch(cancellationToken);
            VehicleCacheRepository.ValidateWrite(request.EndpointName, value, policy.Ttl);
            return value;
        }
        catch (Exception e)
        {
            CacheTelemetry.FetchErrors.Add(1, _endpoint);
            if (RetryAfterOf(e) is { } retryAfter)
            {
                // Stored for every instance before the error goes up; committed now, the lock goes with it.
                await using var command = database.Command("Cache.Backoff", BackoffSql, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = request.TeslaAccountId });
                command.Parameters.Add(new NpgsqlParameter("retry_after", NpgsqlDbType.Interval) { Value = retryAfter });
                command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = "429 " + request.EndpointName });
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }

            throw;
        }
        finally
        {
            CacheTelemetry.FetchDuration.Record(Stopwatch.GetElapsedTime(began).TotalSeconds, _endpoint);
        }
    }

    private TimeSpan? RetryAfterOf(Exception e) => e switch
    {
        TeslaRateLimitedException r => r.RetryAfter is { } after && after > TimeSpan.Zero ? after : defaultRetryAfter,
        HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } => defaultRetryAfter,
        _ => null,
    };

    private async Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, JsonElement value, CancellationToken cancellationToken)
    {
        await using var command = database.Command("Cache.Store", VehicleCacheRepository.StoreSql, connection, transaction);
        VehicleCacheRepository.AddStoreParameters(command, request.TeslaAccountId, request.VehicleId, request.EndpointName, value, policy.Ttl);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A stored response as a read saw it: <see cref="Age"/> is the time since it was fetched, by the database clock.</summary>
internal sealed record StoredResponse(JsonElement Value, bool Fresh, TimeSpan Age);
