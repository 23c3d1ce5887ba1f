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

    public const string StandbyMessage = "This server is a standby (a read replica): nothing can be purged here. Connect to the primary to purge.";

    private readonly string _connectionString;

    private Task<AccountsScreen>? _firstPage;

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

    /// <summary>The server this session is on, when <see cref="OpenAsync"/> asked it; null otherwise.</summary>
    public ServerRole? Server { get; private set; }

    /// <summary>Why nothing can be purged: --read-only, or a standby.</summary>
    public string ReadOnlyText => Server is { IsStandby: true } ? StandbyMessage : ReadOnlyMessage;

    /// <summary>Which database this is (label, local or remote), for the title and the purge confirmation.</summary>
    public DatabaseEnvironment Environment { get; }

    /// <summary>Rows above which a purge on a non-local (or production) database needs its count typed.</summary>
    public long TypedConfirmAbove { get; }

    /// <summary>How often watch (w) reloads the list on screen (--watch-interval; 2 s like k9s).</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rows per page of every list.</summary>
    public int PageSize { get; }

    /// <summary>user@host:port/database, safe to show; with the server's role when known ("… · standby 10.0.0.2:5432").</summary>
    public string Description => Server is null ? Database.Description : $"{Database.Description} · {Server.Describe(Database.Description)}";

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
        long typedConfirmAbove = DatabaseEnvironment.DefaultTypedConfirmAbove) =>
        Open(connection, readOnly, pageSize, environmentLabel, typedConfirmAbove, null);

    private static AdminSession Open(
        NpgsqlConnectionStringBuilder connection, bool readOnly, int pageSize, string? environmentLabel, long typedConfirmAbove, ServerRole? server)
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
            DatabaseEnvironment.Detect(builder, environmentLabel), typedConfirmAbove)
        {
            Server = server,
        };
    }

    /// <summary>
    /// Asks the server whether it is a standby (<see cref="ServerRole"/>), then opens the session: read-only on a
    /// standby whatever <paramref name="readOnly"/> says (PostgreSQL would refuse every write there anyway). When the
    /// server cannot be asked (down, wrong password), the session opens without a role and the console shows that
    /// problem as it always has, with F5 to try again.
    /// </summary>
    /// <remarks>
    /// Launch time (issue 12): building the session (Npgsql's data sources, the token keyring; linq2db waits for its
    /// first use) is one-off start-up work that needs no server, so it runs on another thread while the question
    /// goes over the wire. It is built as asked; on a standby reached without --read-only (rare) that one is thrown
    /// away unused and the read-only one built after. No connection is opened by building.
    /// </remarks>
    public static async Task<AdminSession> OpenAsync(
        NpgsqlConnectionStringBuilder connection, bool readOnly, int pageSize = 100, string? environmentLabel = null,
        long typedConfirmAbove = DatabaseEnvironment.DefaultTypedConfirmAbove, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var building = Task.Run(() => Open(connection, readOnly, pageSize, environmentLabel, typedConfirmAbove, null), cancellationToken);
        ServerRole? server = null;
        try
        {
            server = await ServerRole.DetectAsync(connection, cancellationToken);
            LaunchSteps.Mark("role known");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Left to the console's first screen, which says what is wrong in one line.
        }
        catch
        {
            await DisposeQuietlyAsync(building);
            throw;
        }

        var session = await building;
        LaunchSteps.Mark("session built");
        if (server is { IsStandby: true } && !readOnly)
        {
            await session.DisposeAsync();
            return Open(connection, readOnly: true, pageSize, environmentLabel, typedConfirmAbove, server);
        }

        session.Server = server;
        return session;
    }

    private static async Task DisposeQuietlyAsync(Task<AdminSession> building)
    {
        try
        {
            await (await building).DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The caller reports the first failure; this one (the same bad setting, most likely) adds nothing.
        }
    }

    /// <summary>
    /// Starts loading the first page of accounts now, so that it is read while the terminal starts and the window is
    /// built (issue 12: the launch to the first page). <see cref="Navigator.StartAsync"/> takes it; a failure shows
    /// there, as a load started by the console would.
    /// </summary>
    public void PrefetchFirstPage() => _firstPage ??= Navigator.LoadAccountsAsync(this, CancellationToken.None);

    internal Task<AccountsScreen>? PeekFirstPage() => Volatile.Read(ref _firstPage);

    internal Task<AccountsScreen>? TakeFirstPage() => Interlocked.Exchange(ref _firstPage, null);

    /// <exception cref="UserInputException">The session is read-only.</exception>
    public void EnsureWritable()
    {
        if (ReadOnly)
        {
            throw new UserInputException(ReadOnlyText);
        }
    }

    /// <summary>Applied and pending migrations, read by the Migrations assembly (it reads only). A database migrated
    /// in the other Supabase mode than this server suggests (a Supabase database migrated with <c>--supabase off</c>,
    /// which is supported) is read in the mode it was migrated with: the console has no --supabase to pass.</summary>
    public async Task<MigrationStatus> MigrationStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await new TeslaDbMigrator(new MigratorOptions { ConnectionString = _connectionString }).GetStatusAsync(cancellationToken);
        }
        catch (SupabaseModeMismatchException mode)
        {
            var asMigrated = mode.AppliedWithSupabase ? SupabaseMode.On : SupabaseMode.Off;
            return await new TeslaDbMigrator(new MigratorOptions { ConnectionString = _connectionString, Supabase = asMigrated }).GetStatusAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (TakeFirstPage() is { } unused)
        {
            // Never shown (the terminal did not start): finished before the connections close, its failure unread.
            await unused.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await OwnData.DisposeAsync();
        await Database.DisposeAsync();
    }
}
