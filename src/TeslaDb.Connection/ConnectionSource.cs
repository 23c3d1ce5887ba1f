using Microsoft.Extensions.Configuration;
using Npgsql;

namespace TeslaDb.Connection;

/// <summary>Where the connection of a command came from, for messages ("from TESLADB_CONNECTION").</summary>
public enum ConnectionOrigin
{
    Flag,
    TeslaDbConnectionVariable,
    ConnectionStringsConfiguration,
}

/// <summary>A parsed connection and where it came from.</summary>
public sealed record ResolvedConnection(NpgsqlConnectionStringBuilder Builder, ConnectionOrigin Origin)
{
    /// <summary>The Npgsql connection string (holds the password: never print it).</summary>
    public string ConnectionString => Builder.ConnectionString;

    /// <summary>user@host:port/database, safe to print.</summary>
    public string Description => TeslaDbConnectionString.Describe(Builder);

    public string OriginText => Origin switch
    {
        ConnectionOrigin.Flag => "--connection",
        ConnectionOrigin.TeslaDbConnectionVariable => ConnectionSource.EnvironmentVariable,
        _ => "ConnectionStrings__" + ConnectionSource.ConnectionStringName,
    };
}

/// <summary>
/// Finds the connection the .NET way: the <c>--connection</c> flag, else <c>TESLADB_CONNECTION</c>, else the
/// <c>TeslaDb</c> connection string of configuration (environment variable <c>ConnectionStrings__TeslaDb</c>).
/// </summary>
public static class ConnectionSource
{
    public const string EnvironmentVariable = "TESLADB_CONNECTION";
    public const string ConnectionStringName = "TeslaDb";

    public const string MissingMessage =
        "No database connection given: pass --connection \"Host=…;Username=…;Password=…;Database=…\" (or a postgresql:// URL), or set TESLADB_CONNECTION or ConnectionStrings__TeslaDb.";

    /// <summary>Resolves from the flag and the process environment.</summary>
    public static ResolvedConnection Resolve(string? flag) =>
        Resolve(flag, new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>Resolves from the flag and the given configuration (environment variables already added).</summary>
    /// <exception cref="ConnectionStringException">Nothing is configured, or what is configured cannot be parsed.</exception>
    public static ResolvedConnection Resolve(string? flag, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return Parse(flag, ConnectionOrigin.Flag, "--connection");
        }

        var variable = configuration[EnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(variable))
        {
            return Parse(variable, ConnectionOrigin.TeslaDbConnectionVariable, EnvironmentVariable);
        }

        var named = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return Parse(named, ConnectionOrigin.ConnectionStringsConfiguration, "ConnectionStrings__" + ConnectionStringName);
        }

        throw new ConnectionStringException(MissingMessage);
    }

    private static ResolvedConnection Parse(string text, ConnectionOrigin origin, string originText)
    {
        try
        {
            return new ResolvedConnection(TeslaDbConnectionString.Parse(text), origin);
        }
        catch (ConnectionStringException e)
        {
            throw new ConnectionStringException($"{originText}: {e.Message}", e);
        }
    }
}
