using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TeslaDb.TestSupport;

/// <summary>
/// A PgBouncer (Debian's package) on a free loopback port in front of the test server, in the pool mode a test asks
/// for. Needs the <c>pgbouncer</c> binary: scripts/test.sh installs it.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PgBouncer(Process process, string directory, NpgsqlConnectionStringBuilder builder)
    {
        _process = process;
        _directory = directory;
        Builder = builder;
    }

    /// <summary>The test database, reached through the pooler.</summary>
    public NpgsqlConnectionStringBuilder Builder { get; }

    public string ConnectionString => Builder.ConnectionString;

    public static async Task<PgBouncer> StartAsync(TestDatabase database, string poolMode)
    {
        ArgumentNullException.ThrowIfNull(database);
        var binary = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists)
                     ?? throw new InvalidOperationException("pgbouncer is not installed: run scripts/test.sh (it installs Debian's pgbouncer) or apt-get install pgbouncer.");
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("tesladb-pgbouncer-").FullName;
        var server = database.Builder;
        await File.WriteAllTextAsync(Path.Combine(directory, "userlist.txt"), $"\"{server.Username}\" \"{server.Password}\"\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), $"""
            [databases]
            * = host={server.Host} port={server.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = plain
            auth_file = {directory}/userlist.txt
            pool_mode = {poolMode}
            default_pool_size = 4
            max_client_conn = 100
            ignore_startup_parameters = extra_float_digits,search_path
            logfile = {directory}/pgbouncer.log
            """);

        // PgBouncer refuses to run as root; as root, run it as the postgres OS user like the server.
        var root = Environment.UserName == "root";
        if (root && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }

        var start = new ProcessStartInfo(root ? "runuser" : binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (root)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", binary })
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add(Path.Combine(directory, "pgbouncer.ini"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("pgbouncer did not start");
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = port, Pooling = false };
        var bouncer = new PgBouncer(process, directory, builder);
        await bouncer.WaitUntilListeningAsync(port);
        return bouncer;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                var log = Path.Combine(_directory, "pgbouncer.log");
                throw new InvalidOperationException(
                    $"pgbouncer did not listen on {port}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : await _process.StandardError.ReadToEndAsync())}", e);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
