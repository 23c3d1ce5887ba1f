using System.Data;
using System.Diagnostics;
using System.Globalization;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

// Reports like tesladb-admin under TESLADB_ADMIN_STARTUP_REPORT: ms from the process start to the first frame drawn
// (its rows are on the table from the start), and the peak resident memory. Optional argument: a driver name.
var report = Environment.GetEnvironmentVariable("TESLADB_ADMIN_STARTUP_REPORT")
    ?? throw new InvalidOperationException("Set TESLADB_ADMIN_STARTUP_REPORT to the report's path.");

using var app = Application.Create();
app.Init(args.Length > 0 ? args[0] : null);

var rows = new DataTable();
foreach (var column in new[] { "Account", "E-mail", "Vehicles", "Token", "Updated" })
{
    rows.Columns.Add(column);
}

for (var i = 0; i < 100; i++)
{
    rows.Rows.Add($"account {i}", $"owner{i}@example.com", (i % 4).ToString(CultureInfo.InvariantCulture), "valid", "2026-12-06 10:00");
}

using var window = new Window { Title = "Terminal.Gui floor" };
var table = new TableView { Width = Dim.Fill(), Height = Dim.Fill(1), Table = new DataTableSource(rows) };
var status = new StatusBar([new Shortcut(Key.Q.WithCtrl, "Quit", () => app.RequestStop())]);
window.Add(table, status);

var reported = false;
app.LayoutAndDrawComplete += (_, _) =>
{
    if (reported)
    {
        return;
    }

    reported = true;
    var ms = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
    var peak = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    var kb = double.Parse(peak["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    File.WriteAllText(report, string.Create(CultureInfo.InvariantCulture, $"first_page_ms={ms:F0} peak_rss_mb={kb / 1024:F1} ui_ready_ms={ms:F0}\n"));
    app.RequestStop(window);
};
app.Run(window);
