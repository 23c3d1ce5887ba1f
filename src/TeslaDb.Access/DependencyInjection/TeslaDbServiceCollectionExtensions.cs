using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Access.DependencyInjection;

/// <summary>Options of <c>AddTeslaDb</c>: configuration section <c>TeslaDb</c> (<c>ConnectionString</c>, <c>Cache</c>,
/// <c>Routing</c>).</summary>
public sealed class TeslaDbOptions
{
    /// <summary>An Npgsql keyword string or a postgres:// URL.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The token keyring, <c>id:base64key[,id:base64key…]</c> (the first encrypts, all decrypt); when null,
    /// the environment variable TESLADB_TOKEN_KEYS. Without keys tokens can be described, not read or stored.</summary>
    public string? TokenKeys { get; set; }

    /// <summary>The cache's per-endpoint policies and timeouts (section <c>TeslaDb:Cache</c>).</summary>
    public TeslaCacheOptions Cache { get; set; } = new();

    /// <summary>Reads on standbys and their retries (section <c>TeslaDb:Routing</c>): <c>ReadConnectionString</c>,
    /// <c>MaxReplicaLag</c>, <c>ReadAttempts</c>… A multi-host <see cref="ConnectionString"/> needs nothing here.</summary>
    public TeslaDbRoutingOptions Routing { get; set; } = new();
}

/// <summary>Registers TeslaDb's database and repositories with one call (<c>services.AddTeslaDb(…)</c>).</summary>
public static class TeslaDbServiceCollectionExtensions
{
    /// <summary>Registers the database (one pooled data source for the app) and the four repositories.</summary>
    public static IServiceCollection AddTeslaDb(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddTeslaDb(o => o.ConnectionString = connectionString);
    }

    /// <summary>Registers the database and repositories from code; the options are checked now (a malformed
    /// connection string or invalid cache option fails at start-up, not at the first query).</summary>
    public static IServiceCollection AddTeslaDb(this IServiceCollection services, Action<TeslaDbOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TeslaDbOptions();
        configure(options);
        // Parsed now: a malformed connection string fails at registration with its own exception, not at the first query.
        _ = TeslaDb.Connection.TeslaDbConnectionString.Parse(options.ConnectionString);
        // Likewise the keyring (32-byte keys, unique ids), with its own exception naming the bad key id.
        _ = Keyring(options);
        if (new TeslaDbOptionsValidator().Validate(null, options) is { Failed: true } failure)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TeslaDbOptions), failure.Failures);
        }

        services.AddOptions<TeslaDbOptions>().Configure(configure);
        return services.AddTeslaDbServices();
    }

    /// <summary>
    /// Registers the database and repositories from configuration (<c>configuration.GetSection("TeslaDb")</c>):
    /// <c>IOptions&lt;TeslaDbOptions&gt;</c> bound to it and validated when the host starts (<c>ValidateOnStart</c>),
    /// each problem one line naming the setting.
    /// </summary>
    public static IServiceCollection AddTeslaDb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TeslaDbOptions>().Bind(configuration).ValidateOnStart();
        return services.AddTeslaDbServices();
    }

    /// <summary>The token keyring of <paramref name="options"/>, else of TESLADB_TOKEN_KEYS.</summary>
    internal static TokenKeyring Keyring(TeslaDbOptions options) =>
        options.TokenKeys is null ? TokenKeyring.FromEnvironment() : TokenKeyring.Parse(options.TokenKeys);

    private static IServiceCollection AddTeslaDbServices(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeslaDbOptions>, TeslaDbOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TeslaDbOptions>>().Value;
            return TeslaDbDatabase.Create(options.ConnectionString, options.Cache, options.Routing ?? new(), sp.GetService<ILoggerFactory>(), Keyring(options));
        });
        services.TryAddSingleton<TeslaAccountRepository>();
        services.TryAddSingleton<TokenRepository>();
        services.TryAddSingleton<VehicleRepository>();
        services.TryAddSingleton<VehicleCacheRepository>();
        return services;
    }
}
