using System.Diagnostics;
using System.Globalization;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace TeslaDb.Admin.Cli;

/// <summary>
/// For <c>scripts/bench.sh --admin</c>: when <see cref="EnvironmentVariable"/> names a file, the console stops as soon
/// as its first page of rows is on the table and writes there how long that took from the process's start (the
/// runtime's own start-up included) and its peak resident memory. Not an option of the command: operators never
/// need it, and it must not change how the console starts when unset.
/// </summary>
internal static class StartupProbe
{
    public const string EnvironmentVariable = "TESLADB_ADMIN_STARTUP_REPORT";

    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Watches <paramref name="table"/> from the main loop when the variable is set; does nothing otherwise.</summary>
    public static void Attach(IApplication app, Window window, TableView table)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } path)
        {
            return;
        }

        // Where the time goes: until here the runtime, the command line, the session and Terminal.Gui's Init and
        // window; after, the first page's query (in the background) and the first draws.
        var attached = SinceProcessStart();
        var watch = Stopwatch.StartNew();
        app.AddTimeout(TimeSpan.FromMilliseconds(2), () =>
        {
            var ready = table.Table is { Rows: > 0 };
            if (!ready && watch.Elapsed < GiveUpAfter)
            {
                return true;
            }

            File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
                $"{(ready ? "first_page_ms" : "gave_up_ms")}={SinceProcessStart().TotalMilliseconds:F0} peak_rss_mb={PeakResidentMegabytes():F1} ui_ready_ms={attached.TotalMilliseconds:F0}\n"));
            app.RequestStop(window);
            return false;
        });
    }

    // Process.StartTime is the kernel's start of this process: dotnet's host, the runtime and JIT included.
    private static TimeSpan SinceProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return DateTime.Now - self.StartTime;
    }

    // VmHWM: the peak resident set size the kernel recorded for this process (Linux; 0 elsewhere).
    private static double PeakResidentMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
