using Microsoft.Extensions.Configuration;
using Npgsql;

namespace TeslaDb.Connection;

/// <summary>Where the connection of a command came from, for messages ("from TESLADB_CONNECTION").</summary>
public enum ConnectionOrigin
{
    /// <summary>The command's <c>--connection</c> flag.</summary>
    Flag,

    /// <summary>The <c>TESLADB_CONNECTION</c> environment variable.</summary>
    TeslaDbConnectionVariable,

    /// <summary>The <c>TeslaDb</c> connection string of configuration (<c>ConnectionStrings__TeslaDb</c>).</summary>
    ConnectionStringsConfiguration,
}

/// <summary>A parsed connection and where it came from.</summary>
public sealed record ResolvedConnection(NpgsqlConnectionStringBuilder Builder, ConnectionOrigin Origin)
{
    /// <summary>The Npgsql connection string (holds the password: never print it).</summary>
    public string ConnectionString => Builder.ConnectionString;

    /// <summary>user@host:port/database, safe to print.</summary>
    public string Description => TeslaDbConnectionString.Describe(Builder);

    /// <summary>Where it came from, as a user wrote it (<c>--connection</c>, <c>TESLADB_CONNECTION</c>, …).</summary>
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
    /// <summary>The environment variable read after the flag.</summary>
    public const string EnvironmentVariable = "TESLADB_CONNECTION";

    /// <summary>The name of the connection string in configuration (<c>ConnectionStrings:TeslaDb</c>).</summary>
    public const string ConnectionStringName = "TeslaDb";

    /// <summary>What to say when none of the three is given.</summary>
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
