using Npgsql;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Admin.Core;

/// <summary>
/// The console's connection to one database: the repositories it reads and purges through, whether writes are
/// allowed, and the migration status. A read-only session is refused writes twice: here, before anything is sent,
/// and by PostgreSQL itself (every transaction starts read-only), so a bug in the console cannot delete anything.
/// </summary>
public sealed class AdminSession : IAsyncDisposable
{
    public const string ReadOnlyMessage = "This session is read-only (--read-only): nothing can be purged. Restart without --read-only to purge.";

    private readonly string _connectionString;

    private AdminSession(TeslaDbDatabase database, string connectionString, bool readOnly, int pageSize, DatabaseEnvironment environment, long typedConfirmAbove)
    {
        Environment = environment;
        TypedConfirmAbove = typedConfirmAbove;
        Database = database;
        _connectionString = connectionString;
        ReadOnly = readOnly;
        PageSize = pageSize;
        Accounts = new TeslaAccountRepository(database);
        Vehicles = new VehicleRepository(database);
        Cache = new VehicleCacheRepository(database);
        Tokens = new TokenRepository(database);
        var own = new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" };
        OwnData = NpgsqlDataSource.Create(own.ConnectionString);
        Journal = new PurgeJournal(OwnData);
        Sorted = new SortedLists(OwnData);
    }

    public TeslaDbDatabase Database { get; }

    public bool ReadOnly { get; }

    /// <summary>Which database this is (label, local or remote), for the title and the purge confirmation.</summary>
    public DatabaseEnvironment Environment { get; }

    /// <summary>Rows above which a purge on a non-local (or production) database needs its count typed.</summary>
    public long TypedConfirmAbove { get; }

    /// <summary>How often watch (w) reloads the list on screen (--watch-interval; 2 s like k9s).</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rows per page of every list.</summary>
    public int PageSize { get; }

    /// <summary>user@host:port/database, safe to show.</summary>
    public string Description => Database.Description;

    /// <summary>The connection, for error messages (which print only host, port, user and database).</summary>
    public NpgsqlConnectionStringBuilder Target => new(_connectionString);

    public TeslaAccountRepository Accounts { get; }

    public VehicleRepository Vehicles { get; }

    public VehicleCacheRepository Cache { get; }

    public TokenRepository Tokens { get; }

    /// <summary>The journal of purges (tesladb.admin_journal).</summary>
    public PurgeJournal Journal { get; }

    /// <summary>The lists in another order than their natural one (the console's own keyset queries).</summary>
    internal SortedLists Sorted { get; }

    /// <summary>Connections for the console's own queries (journal, health), which no Access repository has.</summary>
    internal NpgsqlDataSource OwnData { get; }

    public static AdminSession Open(
        NpgsqlConnectionStringBuilder connection, bool readOnly, int pageSize = 100, string? environmentLabel = null,
        long typedConfirmAbove = DatabaseEnvironment.DefaultTypedConfirmAbove)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "tesladb-admin";
        }

        if (readOnly)
        {
            builder.Options = ((builder.Options ?? string.Empty) + " -c default_transaction_read_only=on").Trim();
        }

        return new AdminSession(TeslaDbDatabase.Create(builder.ConnectionString), builder.ConnectionString, readOnly, pageSize,
            DatabaseEnvironment.Detect(builder, environmentLabel), typedConfirmAbove);
    }

    /// <exception cref="UserInputException">The session is read-only.</exception>
    public void EnsureWritable()
    {
        if (ReadOnly)
        {
            throw new UserInputException(ReadOnlyMessage);
        }
    }

    /// <summary>Applied and pending migrations, read by the Migrations assembly (it reads only).</summary>
    public Task<MigrationStatus> MigrationStatusAsync(CancellationToken cancellationToken) =>
        new TeslaDbMigrator(new MigratorOptions { ConnectionString = _connectionString }).GetStatusAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await OwnData.DisposeAsync();
        await Database.DisposeAsync();
    }
}
