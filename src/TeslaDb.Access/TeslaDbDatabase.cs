using System.Data.Common;
using System.Diagnostics;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.Mapping;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Mapping;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.Connection;

namespace TeslaDb.Access;

/// <summary>
/// The one shared entry to the database: an <see cref="NpgsqlDataSource"/> (pooled connections, session time zone
/// UTC) and linq2db's <see cref="DataOptions"/> and mapping, each built once. Repositories open one connection per
/// operation from it. Register it as a singleton (<c>services.AddTeslaDb(…)</c> does) and dispose it at shutdown.
/// </summary>
public sealed partial class TeslaDbDatabase : IAsyncDisposable
{
    private static readonly AsyncLocal<string?> CurrentOperation = new();

    private static readonly AsyncLocal<bool> PrimaryOnly = new();

    private readonly ILogger _logger;
    private readonly DataSources _sources;
    private readonly Lazy<DataOptions> _options;
    private readonly ReplicaLag _lag;

    private TeslaDbDatabase(DataSources sources, TeslaDbRoutingOptions routing, ILogger logger, TokenKeyring tokenKeys)
    {
        _sources = sources;
        var dataSource = sources.Primary;
        DataSource = dataSource;
        Routing = routing;
        _lag = new ReplicaLag(routing.LagSampleLifetime);
        _logger = logger;
        TokenProtector = new TokenProtector(tokenKeys);
        // linq2db's PostgreSQL provider costs 150–200 ms of CPU to build (its adapter compiles expression trees over
        // Npgsql's types, which ReadyToRun cannot precompile). The hot paths are plain Npgsql commands and never need
        // it, so a process that only uses those (the console's launch, issue 12) never pays for it.
        _options = new Lazy<DataOptions>(() => new DataOptions()
            .UseConnectionFactory(PostgreSQLTools.GetDataProvider(PostgreSQLVersion.v15), _ => dataSource.CreateConnection())
            .UseMappingSchema(LinqMapping.Schema)
            .UseTracing(TraceLevel.Info, OnLinqTrace));
    }

    /// <summary>Where the database is, safe to print (no password).</summary>
    public string Description { get; private init; } = string.Empty;

    /// <summary>The primary (with a multi-host string, whichever host is primary now): writes, locks and the reads
    /// that must see the latest writes.</summary>
    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Where lag-tolerant reads go and how reads are retried.</summary>
    internal TeslaDbRoutingOptions Routing { get; }

    /// <summary>True when lag-tolerant reads have standbys to go to (a multi-host string or a read connection).</summary>
    public bool HasReadReplicas => _sources.Replica is not null;

    /// <summary>linq2db's options (provider, mapping, tracing), built on first use.</summary>
    internal DataOptions Options => _options.Value;

    /// <summary>Whether linq2db has been set up for this instance yet (tests of what start-up costs).</summary>
    internal bool LinqToDbBuilt => _options.IsValueCreated;

    /// <summary>Seals and opens token values with the keyring this database was created with.</summary>
    internal TokenProtector TokenProtector { get; }

    /// <summary>The ids of the token keys (the encrypting one first); empty when tokens can be described but not read or stored.</summary>
    public IReadOnlyList<string> TokenKeyIds => TokenProtector.Keyring.Ids;

    /// <summary>The cache's per-endpoint policies and timeouts.</summary>
    internal TeslaCacheOptions CacheOptions { get; private init; } = new();

    /// <summary>The fetches running in this process, one per (vehicle, endpoint): shared by every repository over
    /// this database, as an app instance shares one data source.</summary>
    internal SingleFlight CacheFlights { get; } = new();

    /// <summary>Told the text of every command a repository runs, named by its operation ("Vehicles.Upsert"),
    /// never with parameter values. Tests keep these as reviewed SQL baselines.</summary>
    internal Action<string, string>? CommandObserver { get; set; }

    /// <summary>Builds the database access from a keyword connection string or a postgres:// URL. Token values are
    /// encrypted and decrypted with <paramref name="tokenKeys"/>, by default the keyring in TESLADB_TOKEN_KEYS
    /// (without keys, tokens can be described and listed, not read or stored).</summary>
    /// <exception cref="ConnectionStringException">The connection string cannot be parsed.</exception>
    /// <exception cref="Tokens.TokenKeyException">TESLADB_TOKEN_KEYS is malformed.</exception>
    // RS0027 wants the overload with optional parameters to be the longest. The longest (with routing) takes every
    // argument on purpose, so no call can be ambiguous between it and these two, which keep their shipped optional
    // parameters for the common case.
#pragma warning disable RS0027
    public static TeslaDbDatabase Create(string connectionString, ILoggerFactory? loggerFactory = null, TokenKeyring? tokenKeys = null) =>
        Create(connectionString, new TeslaCacheOptions(), loggerFactory, tokenKeys);

    /// <summary>Builds the database access with the cache's policies (<see cref="TeslaCacheOptions"/>).</summary>
    /// <exception cref="ConnectionStringException">The connection string cannot be parsed.</exception>
    /// <exception cref="ArgumentException">The cache options are invalid.</exception>
    /// <exception cref="Tokens.TokenKeyException">TESLADB_TOKEN_KEYS is malformed.</exception>
    public static TeslaDbDatabase Create(
        string connectionString, TeslaCacheOptions cacheOptions, ILoggerFactory? loggerFactory = null, TokenKeyring? tokenKeys = null) =>
        Create(connectionString, cacheOptions, new TeslaDbRoutingOptions(), loggerFactory, tokenKeys);
#pragma warning restore RS0027

    /// <summary>Builds the database access with the cache's policies and the routing of reads to standbys and their
    /// retries (<see cref="TeslaDbRoutingOptions"/>). A multi-host <paramref name="connectionString"/>
    /// (<c>Host=a:5432,b:5432</c>) sends writes to whichever host is primary and lag-tolerant reads to a standby.</summary>
    /// <exception cref="ConnectionStringException">A connection string cannot be parsed.</exception>
    /// <exception cref="ArgumentException">The cache or routing options are invalid.</exception>
    /// <exception cref="Tokens.TokenKeyException">TESLADB_TOKEN_KEYS is malformed.</exception>
    /// <remarks>No optional parameters here: the shorter overloads already have them, and two overloads with optional
    /// parameters make calls ambiguous as the API grows (RS0026).</remarks>
    public static TeslaDbDatabase Create(
        string connectionString, TeslaCacheOptions cacheOptions, TeslaDbRoutingOptions routing, ILoggerFactory? loggerFactory, TokenKeyring? tokenKeys)
    {
        ArgumentNullException.ThrowIfNull(cacheOptions);
        ArgumentNullException.ThrowIfNull(routing);
        if (cacheOptions.Problems() is [var first, ..])
        {
            throw new ArgumentException(first, nameof(cacheOptions));
        }

        if (routing.Problems() is [var problem, ..])
        {
            throw new ArgumentException(problem, nameof(routing));
        }

        var builder = Prepare(connectionString);
        var sources = DataSources.Build(builder, routing.ReadConnectionString is { } read ? Prepare(read) : null);
        return new TeslaDbDatabase(sources, routing, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("TeslaDb.Access"), tokenKeys ?? TokenKeyring.FromEnvironment())
        {
            Description = TeslaDbConnectionString.Describe(builder),
            CacheOptions = cacheOptions,
        };
    }

    /// <summary>The caller's connection string with TeslaDb's defaults (UTC session, auto-prepare, no reset).</summary>
    private static NpgsqlConnectionStringBuilder Prepare(string connectionString)
    {
        var builder = TeslaDbConnectionString.Parse(connectionString);
        // timestamptz values are read and written as UTC instants whatever the server's or process's zone.
        builder.Timezone = "UTC";
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "tesladb";
        }

        // Keywords the caller's string sets itself (the parsed builder's ConnectionString holds only those, under
        // Npgsql's canonical names); those win over the defaults below.
        var given = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };

        // The hot statements (cache reads, upserts) run thousands of times: let Npgsql prepare them once per
        // connection. Not through a transaction-mode pooler that cannot keep prepared statements: PgBouncer before
        // 1.21 (Debian 12 ships 1.18) and Supabase's transaction pooler (port 6543). Supabase's is recognised by its
        // address; for PgBouncer the caller says so with Max Auto Prepare=0 (docs/access.md).
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("Auto Prepare Min Usages"))
        {
            builder.MaxAutoPrepare = IsSupabaseTransactionPooler(builder) ? 0 : 32;
            builder.AutoPrepareMinUsages = 2;
        }

        // This data source is TeslaDb's own and no repository leaves session state behind, so a connection need not
        // be reset (DISCARD ALL, which also drops the prepared statements) each time it goes back to the pool: that
        // reset doubled the cost of a cache hit. An explicit No Reset On Close=false in the caller's string wins.
        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder;
    }

    private static bool IsSupabaseTransactionPooler(NpgsqlConnectionStringBuilder builder) =>
        TeslaDbConnectionString.IsSupabaseTransactionPooler(builder, out _, out _);

    /// <summary>A linq2db connection for one unit of work, its commands reported as <paramref name="operation"/>.</summary>
    internal DataConnection Open(string operation)
    {
        CurrentOperation.Value = operation;
        return new DataConnection(Options);
    }

    /// <summary>A parameterised Npgsql command for the hot paths (batch upserts, cache reads), reported as
    /// <paramref name="operation"/>. It takes a pooled connection for each execution and gives it back after.</summary>
    internal NpgsqlCommand Command(string operation, string sql)
    {
        Observe(operation, sql);
        return DataSource.CreateCommand(sql);
    }

    /// <summary>A command on a connection the caller holds (inside its transaction), reported as <paramref name="operation"/>.</summary>
    internal NpgsqlCommand Command(string operation, string sql, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Observe(operation, sql);
        return new NpgsqlCommand(sql, connection, transaction);
    }

    private void OnLinqTrace(TraceInfo info)
    {
        if (info.TraceInfoStep == TraceInfoStep.BeforeExecute && info.Command is { } command)
        {
            // CommandText, never SqlText: linq2db's SqlText carries the parameter values (tokens among them).
            Observe(CurrentOperation.Value ?? "linq2db", command.CommandText);
        }
    }

    internal void Observe(string operation, string sql)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("TeslaDb {Operation}: {Sql}", operation, sql);
        }

        CommandObserver?.Invoke(operation, sql);
    }

    /// <summary>Closes the data sources (primary and replica) and their pooled connections.</summary>
    public ValueTask DisposeAsync() => _sources.DisposeAsync();

    /// <summary>The mapping, built (once per process) the first time linq2db is used, not when the type is touched.</summary>
    private static class LinqMapping
    {
        internal static readonly MappingSchema Schema = TeslaDbMapping.Build();
    }
}
