using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Access.DependencyInjection;

/// <summary>Options of <see cref="TeslaDbServiceCollectionExtensions.AddTeslaDb(IServiceCollection, Action{TeslaDbOptions})"/>.</summary>
public sealed class TeslaDbOptions
{
    /// <summary>An Npgsql keyword string or a postgres:// URL.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The token keyring, <c>id:base64key[,id:base64key…]</c> (the first encrypts, all decrypt); when null,
    /// the environment variable TESLADB_TOKEN_KEYS. Without keys tokens can be described, not read or stored.</summary>
    public string? TokenKeys { get; set; }
}

public static class TeslaDbServiceCollectionExtensions
{
    /// <summary>Registers the database (one pooled data source for the app) and the four repositories.</summary>
    public static IServiceCollection AddTeslaDb(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddTeslaDb(o => o.ConnectionString = connectionString);
    }

    public static IServiceCollection AddTeslaDb(this IServiceCollection services, Action<TeslaDbOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TeslaDbOptions();
        configure(options);
        // Parsed now: a malformed connection string fails at start-up, not at the first query.
        _ = TeslaDb.Connection.TeslaDbConnectionString.Parse(options.ConnectionString);
        // Likewise the keyring: 32-byte keys, unique ids, checked before the app serves anything.
        var keys = options.TokenKeys is null ? TokenKeyring.FromEnvironment() : TokenKeyring.Parse(options.TokenKeys);
        services.TryAddSingleton(sp => TeslaDbDatabase.Create(options.ConnectionString, sp.GetService<ILoggerFactory>(), keys));
        services.TryAddSingleton<TeslaAccountRepository>();
        services.TryAddSingleton<TokenRepository>();
        services.TryAddSingleton<VehicleRepository>();
        services.TryAddSingleton<VehicleCacheRepository>();
        return services;
    }
}
