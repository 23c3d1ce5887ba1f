using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace TeslaDb.Access.DependencyInjection;

/// <summary>
/// Healthy when the database answers and is migrated far enough for this library: its tables exist and the version
/// table (<c>tesladb.version_info</c>) records at least <see cref="RequiredSchemaVersion"/>. Access does not reference
/// TeslaDb.Migrations (dependencies point one way), so it carries the version of the newest migration its SQL needs.
/// </summary>
internal sealed class TeslaDbHealthCheck(TeslaDbDatabase database) : IHealthCheck
{
    /// <summary>The newest migration the repositories' SQL needs (202612023000: <c>tesla_api_backoff</c>).</summary>
    public const long RequiredSchemaVersion = 202612023000;

    internal const string TablesSql = """
        SELECT array_remove(ARRAY[
                   CASE WHEN to_regclass('tesladb.version_info') IS NULL THEN 'tesladb.version_info' END,
                   CASE WHEN to_regclass('public.tesla_accounts') IS NULL THEN 'public.tesla_accounts' END,
                   CASE WHEN to_regclass('public.tokens') IS NULL THEN 'public.tokens' END,
                   CASE WHEN to_regclass('public.vehicles') IS NULL THEN 'public.vehicles' END,
                   CASE WHEN to_regclass('public.vehicle_data_cache') IS NULL THEN 'public.vehicle_data_cache' END,
                   CASE WHEN to_regclass('public.tesla_api_backoff') IS NULL THEN 'public.tesla_api_backoff' END],
               NULL)
        """;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using (var tables = new NpgsqlCommand(TablesSql, connection))
            {
                if (await tables.ExecuteScalarAsync(cancellationToken) is string[] { Length: > 0 } missing)
                {
                    return Unhealthy(context, $"{database.Description}: not migrated (missing {string.Join(", ", missing)}); run tesladb-migrate up.");
                }
            }

            await using var version = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM tesladb.version_info", connection);
            var current = (long)(await version.ExecuteScalarAsync(cancellationToken))!;
            return current >= RequiredSchemaVersion
                ? HealthCheckResult.Healthy($"{database.Description}: schema version {current}.")
                : Unhealthy(context, $"{database.Description}: schema version {current}, this library needs {RequiredSchemaVersion}; run tesladb-migrate up.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Npgsql's messages name the host, never the password.
            return Unhealthy(context, $"{database.Description}: unreachable ({e.Message})", e);
        }
    }

    private static HealthCheckResult Unhealthy(HealthCheckContext context, string description, Exception? error = null) =>
        new(context.Registration.FailureStatus, description, error);
}

/// <summary>Registers TeslaDb's health check (<c>AddTeslaDb()</c> on an <see cref="IHealthChecksBuilder"/>).</summary>
public static class TeslaDbHealthChecksBuilderExtensions
{
    /// <summary>Adds the TeslaDb check (<see cref="TeslaDbHealthCheck"/>): database reachable and migrated. Needs
    /// <c>services.AddTeslaDb(…)</c>.</summary>
    public static IHealthChecksBuilder AddTeslaDb(this IHealthChecksBuilder builder, string name = "tesladb", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<TeslaDbHealthCheck>(name, failureStatus, tags ?? []);
    }
}
