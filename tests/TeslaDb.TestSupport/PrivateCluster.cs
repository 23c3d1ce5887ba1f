using System.Diagnostics;
using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.TestSupport;

/// <summary>
/// A PostgreSQL cluster of one test's own (scripts/dev-db.sh in a temporary folder), for tests that stop, crash or
/// restart the server: the shared test server cannot be restarted under the test classes running beside them.
/// Disposing it stops the server and deletes its folder.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<TestDatabase> _databases = [];

    private PrivateCluster(string directory, NpgsqlConnectionStringBuilder server)
    {
        _directory = directory;
        Server = server;
    }

    /// <summary>The superuser connection to the cluster's maintenance database.</summary>
    public NpgsqlConnectionStringBuilder Server { get; }

    /// <summary>Creates and starts the cluster. <paramref name="durable"/>: fsync and synchronous_commit on
    /// (TESLADB_DEV_DB_DURABLE=1), so that a crash loses no committed transaction; the fast setting (off) may lose
    /// the last ones, as it is meant to.</summary>
    public static async Task<PrivateCluster> StartAsync(bool durable = true)
    {
        var directory = Directory.CreateTempSubdirectory("tesladb-private-db-").FullName;
        await DevDbAsync(directory, "start", durable);
        var url = (await DevDbAsync(directory, "url")).Trim();
        return new PrivateCluster(directory, TeslaDbConnectionString.Parse(url));
    }

    /// <summary>A new empty database on this cluster.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync(Server);
        _databases.Add(database);
        return database;
    }

    /// <summary>Restarts the server with <c>pg_ctl restart -m <paramref name="mode"/></c>: <c>fast</c> (clean
    /// shutdown, every session terminated) or <c>immediate</c> (no shutdown checkpoint: crash recovery at start).</summary>
    public async Task RestartAsync(string mode)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderBy(d => d, StringComparer.Ordinal).Last();
        var data = Path.Combine(_directory, "data");
        await RunAsync(AsOwner([Path.Combine(bin, "pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "60", "restart", "-l", Path.Combine(_directory, "server.log")]), null);
        // The pooled connections to this cluster died with the server: drop them so that the next open connects anew.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Server.ConnectionString));
        foreach (var database in _databases)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(database.ConnectionString));
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Server.ConnectionString));
        await DevDbAsync(_directory, "destroy");
    }

    private static string[] AsOwner(string[] command) =>
        Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", .. command] : command;

    internal static Task<string> DevDbAsync(string directory, string verb, bool durable = false, params string[] arguments) =>
        RunAsync([Path.Combine(RepositoryFiles.Root, "scripts", "dev-db.sh"), verb, .. arguments], directory, durable);

    private static async Task<string> RunAsync(string[] command, string? devDbDirectory, bool durable = false)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        if (devDbDirectory is not null)
        {
            start.Environment["TESLADB_DEV_DB_DIR"] = devDbDirectory;
            start.Environment["TESLADB_DEV_DB_DURABLE"] = durable ? "1" : "0";
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(command[0])} {string.Join(' ', command.Skip(1).Where(a => !a.StartsWith('/')))} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
