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
        // A port found free can still be taken before pgbouncer binds it (by another test's server or pooler starting
        // at the same moment): pgbouncer then exits, and the start is tried again on another port.
        for (var attempt = 1; ; attempt++)
        {
            var bouncer = await StartOnAsync(binary, FreePort(), database.Builder, poolMode);
            try
            {
                await bouncer.WaitUntilListeningAsync();
                return bouncer;
            }
            catch (InvalidOperationException)
            {
                // Never left running: stopped and its folder removed whether it is tried again or not.
                var again = attempt < 5 && bouncer._process.HasExited;
                await bouncer.DisposeAsync();
                if (!again)
                {
                    throw;
                }
            }
        }
    }

    private static async Task<PgBouncer> StartOnAsync(string binary, int port, NpgsqlConnectionStringBuilder server, string poolMode)
    {
        var directory = Directory.CreateTempSubdirectory("tesladb-pgbouncer-").FullName;
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

        // -q: nothing on stderr (nobody reads the pipe while it runs; the log file says everything).
        start.ArgumentList.Add("-q");
        start.ArgumentList.Add(Path.Combine(directory, "pgbouncer.ini"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("pgbouncer did not start");
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = port, Pooling = false };
        return new PgBouncer(process, directory, builder);
    }

    // Ready when pgbouncer's log says so: a connect to the port is not proof, since whatever took the port first would
    // answer it while pgbouncer gives up ("cannot listen on …: Address already in use", then "nowhere to listen on").
    private async Task WaitUntilListeningAsync()
    {
        var log = Path.Combine(_directory, "pgbouncer.log");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var text = File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty;
            if (text.Contains($"listening on 127.0.0.1:{Builder.Port}", StringComparison.Ordinal) && text.Contains("process up", StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                // Its stderr is read only once it has exited: reading a running process's stream to its end would wait.
                var said = text.Length > 0 ? text : _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "(no log yet)";
                throw new InvalidOperationException($"pgbouncer did not listen on {Builder.Port}: {said}");
            }

            await Task.Delay(50);
        }
    }

    // Below the kernel's ephemeral range (where the port 0 of a listener comes from, and the local port of every client
    // connection the tests open), as scripts/dev-db.sh picks its clusters' ports: a port that is free now is then not
    // also handed to a client connection before pgbouncer binds it.
    private static int FreePort()
    {
        var low = 32768;
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            && int.TryParse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var first))
        {
            low = first;
        }

        var floor = low > 12000 ? 10000 : 1024;
        for (var tries = 0; tries < 200; tries++)
        {
            var port = Random.Shared.Next(floor, low);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: another.
            }
        }

        throw new InvalidOperationException($"found no free loopback port between {floor} and {low}");
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
