using System.Diagnostics;
using System.Globalization;
using Terminal.Gui.App;
using Terminal.Gui.Views;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Cli;

/// <summary>
/// For <c>scripts/bench.sh --admin</c>: when <see cref="EnvironmentVariable"/> names a file, the console stops as soon
/// as it has drawn a frame with its first page of rows and writes there how long that took from the process's start
/// (the runtime's own start-up included), when its first frame was drawn, and its peak resident memory; the steps
/// marked on the way (<see cref="LaunchSteps.Mark"/>) go beside it in <c>&lt;report&gt;.steps</c>, to see where the time goes.
/// Not an option of the command: operators never need it, and it must not change how the console starts when unset.
/// </summary>
internal static class StartupProbe
{
    public const string EnvironmentVariable = LaunchSteps.EnvironmentVariable;

    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Watches the frames drawn when the variable is set; does nothing otherwise.</summary>
    public static void Attach(IApplication app, Window window, TableView table)
    {
        if (LaunchSteps.ReportPath is not { } path)
        {
            return;
        }

        // The report is written when a frame with the first page's rows has been drawn (Terminal.Gui's
        // LayoutAndDrawComplete), not when the rows reach the table: an operator sees a frame, not a table's state.
        TimeSpan? firstFrame = null;
        var watch = Stopwatch.StartNew();
        var done = false;
        void Report(bool ready)
        {
            done = true;
            LaunchSteps.Mark(ready ? "first frame with the first page" : "gave up");
            File.WriteAllLines(path + ".steps", LaunchSteps.Marked);
            File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
                $"{(ready ? "first_page_ms" : "gave_up_ms")}={LaunchSteps.SinceProcessStart().TotalMilliseconds:F0} peak_rss_mb={PeakResidentMegabytes():F1} ui_ready_ms={(firstFrame ?? LaunchSteps.SinceProcessStart()).TotalMilliseconds:F0}\n"));
            app.RequestStop(window);
        }

        app.LayoutAndDrawComplete += (_, _) =>
        {
            if (firstFrame is null)
            {
                firstFrame = LaunchSteps.SinceProcessStart();
                LaunchSteps.Mark("first frame");
            }

            if (!done && table.Table is { Rows: > 0 })
            {
                Report(ready: true);
            }
        };
        app.AddTimeout(TimeSpan.FromSeconds(1), () =>
        {
            if (!done && watch.Elapsed > GiveUpAfter)
            {
                Report(ready: false);
            }

            return !done;
        });
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
