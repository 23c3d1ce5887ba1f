using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Views;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>
/// Binds the keys and the mouse of <see cref="MainWindow"/> to the Core classes and shows their results. Database work
/// runs off the UI thread, one piece at a time; its results come back through <see cref="IApplication.Invoke(Action)"/>,
/// so the screen never freezes and a slow query only shows as "Loading…".
/// </summary>
internal sealed class AdminConsole
{
    private readonly IApplication _app;
    private readonly Navigator _navigator;
    private readonly CachePurges _purges;
    private readonly LatestProgress _progress = new();
    private BusyWork? _busy;
    private PurgePlan? _purging;
    private bool _started;
    private int _detailRequest;

    public AdminConsole(IApplication app, AdminSession session)
    {
        _app = app;
        _navigator = new Navigator(session);
        _purges = new CachePurges(session);
        Window = new MainWindow(session.Description, session.ReadOnly, key => Handle(key));
        Window.Table.Accepting += (_, e) =>
        {
            e.Handled = true;
            Open();
        };
        Window.Table.ValueChanged += (_, _) => RequestDetail();
        _app.Keyboard.KeyDown += (_, key) =>
        {
            if (ReferenceEquals(_app.TopRunnable, Window) && Handle(key))
            {
                key.Handled = true;
            }
        };
        _app.AddTimeout(TimeSpan.FromMilliseconds(250), ShowBusy);
    }

    public MainWindow Window { get; }

    /// <summary>The problem that stopped the console from starting (cannot connect, not migrated); null when it runs.</summary>
    public Problem? Fatal { get; private set; }

    /// <summary>Loads the first screen in the background; the window shows "Connecting…" until it is there.</summary>
    public void Start() =>
        InBackground("Connecting", _navigator.StartAsync, () =>
        {
            _started = true;
            Fatal = null;
            Render();
            CheckMigrations();
        });

    private int SelectedRow => Window.Table.Value?.SelectedCell.Y ?? 0;

    private bool Handle(Key key)
    {
        if (key == Key.Q || key == Key.Q.WithShift)
        {
            Quit();
            return true;
        }

        if (key == Key.F5)
        {
            Refresh();
            return true;
        }

        if (!_started)
        {
            // Until the first screen is there (or while a startup problem is shown) only F5 and q mean something.
            return key == Key.Esc;
        }

        if (key == Key.F1 || key == new Key('?'))
        {
            TableDialog.Show(_app, "Keys", "Every key of tesladb-admin (the mouse works too: click a row, double-click to open).",
                ["Key", "Action"], [.. KeyMap.Keys.Select(k => (IReadOnlyList<string>)[k.Keys, k.Action])]);
        }
        else if (key == new Key('/'))
        {
            AskFilter();
        }
        else if (key == Key.G)
        {
            AskVin();
        }
        else if (key == Key.D || key == Key.Delete)
        {
            PurgeSelected();
        }
        else if (key == Key.E)
        {
            PurgeEndpoint();
        }
        else if (key == Key.X)
        {
            Purge("Counting expired responses", _purges.ExpiredEverywhereAsync);
        }
        else if (key == Key.S)
        {
            ShowStatistics();
        }
        else if (key == Key.M)
        {
            ShowMigrations();
        }
        else if (key == Key.Esc || key == Key.Backspace)
        {
            Back();
        }
        else if (key == Key.Enter)
        {
            Open();
        }
        else if (key == Key.J || key == Key.CursorDown)
        {
            return Move(forward: true, key == Key.J, Command.Down);
        }
        else if (key == Key.K || key == Key.CursorUp)
        {
            return Move(forward: false, key == Key.K, Command.Up);
        }
        else if (key == Key.PageDown)
        {
            return Move(forward: true, translate: false, Command.PageDown);
        }
        else if (key == Key.PageUp)
        {
            return Move(forward: false, translate: false, Command.PageUp);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Moves within the page (the view does it) or, at its first or last row, loads the page before or after.</summary>
    private bool Move(bool forward, bool translate, Command command)
    {
        if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            if (forward && row >= list.Count - 1 && list.HasNext)
            {
                InBackground("Loading the next page", list.NextPageAsync, () => Render(select: 0));
                return true;
            }

            if (!forward && row <= 0 && list.HasPrevious)
            {
                InBackground("Loading the previous page", list.PreviousPageAsync, () => Render(select: list.Count - 1));
                return true;
            }
        }

        if (translate)
        {
            // j and k are Down and Up for whichever view shows the current screen.
            (_navigator.Current is ListScreen ? (Terminal.Gui.ViewBase.View)Window.Table : Window.Json).InvokeCommand(command);
            return true;
        }

        return false;
    }

    private void Open()
    {
        if (_navigator.Current is ListScreen list && list.Count > 0)
        {
            var row = SelectedRow;
            list.Selected = row;
            InBackground("Opening", ct => _navigator.OpenAsync(row, ct), () => Render());
        }
    }

    private void Back()
    {
        if (_navigator.Back())
        {
            Render();
        }
        else
        {
            ShowMessage("At the account list: press q to quit, ? for help.");
        }
    }

    private void Refresh()
    {
        if (!_started)
        {
            Start();
        }
        else if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            InBackground("Refreshing", list.ReloadAsync, () => Render(select: row));
        }
    }

    private void AskFilter()
    {
        if (_navigator.Current is not ListScreen { FilterPrompt: { } prompt } list)
        {
            ShowMessage("This screen has no filter: Esc goes back to the list.");
            return;
        }

        var text = PromptDialog.Ask(_app, $"Filter {list.Title}", prompt, list.Filter);
        if (text is not null)
        {
            InBackground("Filtering", ct => list.ApplyFilterAsync(text, ct), () => Render(select: 0));
        }
    }

    private void AskVin()
    {
        var vin = PromptDialog.Ask(_app, "Go to a vehicle", "VIN, or the start of one (e.g. 5YJ3E1EA):");
        if (!string.IsNullOrWhiteSpace(vin))
        {
            InBackground("Looking up the VIN", ct => _navigator.JumpToVinAsync(vin, ct), () => Render());
        }
    }

    private void PurgeSelected()
    {
        switch (_navigator.Current)
        {
            case ListScreen { Count: > 0 } list:
                var row = SelectedRow;
                Purge("Counting what would go", ct => list.PlanPurgeAsync(row, _purges, ct)!);
                break;
            case ResponseScreen response:
                Purge("Counting what would go", ct => response.PlanPurgeAsync(_purges, ct));
                break;
            default:
                ShowMessage("Nothing selected to purge.");
                break;
        }
    }

    private void PurgeEndpoint()
    {
        var endpoint = _navigator.Current switch
        {
            ResponseScreen response => response.Response.EndpointName,
            ListScreen { Count: > 0 } list => list.EndpointOf(SelectedRow),
            _ => null,
        };
        if (endpoint is null)
        {
            ShowMessage("Select a cached response first: e purges its endpoint for every vehicle.");
            return;
        }

        Purge("Counting what would go", ct => _purges.EndpointAsync(endpoint, ct));
    }

    /// <summary>Counts, asks (Cancel is the default button), deletes in the background with progress, reports.</summary>
    private void Purge(string counting, Func<CancellationToken, Task<PurgePlan>> plan)
    {
        if (_navigator.Session.ReadOnly)
        {
            ShowMessage(AdminSession.ReadOnlyMessage);
            return;
        }

        PurgePlan? planned = null;
        InBackground(counting, async ct => planned = await plan(ct), () =>
        {
            if (planned is null || planned.Count == 0)
            {
                ShowMessage(planned?.Question ?? "Nothing to delete.");
                return;
            }

            // Cancel is the default (Enter) and the confirming hot key is P, never the key that opened this (d, e, x):
            // a double press cannot delete anything.
            if (MessageBox.Query(_app, "Purge the cache", planned.Question, $"_Purge {Format.Count(planned.Count)}", "_Cancel") != 0)
            {
                ShowMessage("Purge cancelled: nothing was deleted.");
                return;
            }

            long deleted = 0;
            var started = DateTimeOffset.UtcNow;
            _purging = planned;
            _progress.Report(0);
            InBackground("Deleting", async ct => deleted = await planned.ExecuteAsync(_progress, ct), () =>
            {
                var done = planned.Done(deleted, DateTimeOffset.UtcNow - started);
                _purging = null;
                ShowMessage(done);
                MessageBox.Query(_app, "Purged", done, "_OK");
                AfterPurge();
            }, onError: () => _purging = null);
        });
    }

    private void AfterPurge()
    {
        if (_navigator.Current is ResponseScreen)
        {
            _navigator.Back();
        }

        if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            InBackground("Refreshing", list.ReloadAsync, () => Render(select: row), keepMessage: true);
        }
    }

    private void ShowStatistics()
    {
        CacheStatisticsReport? report = null;
        InBackground("Counting the cache (a full scan on big tables)", async ct => report = await CacheStatisticsReport.LoadAsync(_navigator.Session, ct), () =>
            TableDialog.Show(_app, "Cache statistics",
                $"{Format.Plural(report!.Entries, "entry", "entries")}, {Format.Count(report.Expired)} expired, {Format.Bytes(report.Bytes)} of JSON (press x to purge the expired).",
                CacheStatisticsReport.Columns, report.Rows));
    }

    private void ShowMigrations()
    {
        MigrationStatusReport? report = null;
        InBackground("Reading the migration status", async ct => report = await MigrationStatusReport.LoadAsync(_navigator.Session, ct), () =>
            TableDialog.Show(_app, "Migrations", report!.Summary, MigrationStatusReport.Columns, report.Rows));
    }

    /// <summary>Warns (without blocking anything) when the database lags behind this tool's migrations.</summary>
    private void CheckMigrations() =>
        _ = Task.Run(async () =>
        {
            try
            {
                var report = await MigrationStatusReport.LoadAsync(_navigator.Session, CancellationToken.None);
                if (!report.Status.IsUpToDate)
                {
                    _app.Invoke(() => ShowMessage(report.Summary));
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The lists work or say why themselves; the status is only a hint.
            }
        });

    private void Quit()
    {
        if (_purging is not null)
        {
            ShowMessage("A purge is running: wait for it to finish before quitting (what it deleted so far is already gone).");
            return;
        }

        _app.RequestStop(Window);
    }

    private void Render(int? select = null)
    {
        var current = _navigator.Current;
        Window.Header.Text = _navigator.Breadcrumb;
        switch (current)
        {
            case ListScreen list:
                Window.Json.Visible = false;
                Window.Table.Visible = true;
                Window.Table.Table = new ScreenTableSource(list);
                var row = Math.Clamp(select ?? list.Selected, 0, Math.Max(0, list.Count - 1));
                if (list.Count > 0)
                {
                    Window.Table.SetSelection(0, row, false, null);
                    Window.Table.EnsureCursorIsVisible();
                }

                Window.Header.Text = $"{_navigator.Breadcrumb}   ({list.Position})";
                Window.Table.SetFocus();
                RequestDetail();
                break;
            case ResponseScreen response:
                Window.Table.Visible = false;
                Window.Json.Visible = true;
                Window.Json.Text = response.Json;
                Window.Detail.Text = response.Header;
                Window.Json.SetFocus();
                break;
        }

        Window.SetNeedsDraw();
    }

    /// <summary>
    /// Loads the selected row's detail line (an account's masked token) without blocking other work. Waits until the
    /// selection has rested for a moment, so holding j down over a page runs one query, not one per row.
    /// </summary>
    private void RequestDetail()
    {
        var request = ++_detailRequest;
        if (_navigator.Current is not ListScreen list || list.Count == 0)
        {
            Window.Detail.Text = string.Empty;
            return;
        }

        _app.AddTimeout(TimeSpan.FromMilliseconds(120), () =>
        {
            if (request == _detailRequest && ReferenceEquals(_navigator.Current, list))
            {
                LoadDetail(list, Math.Clamp(SelectedRow, 0, list.Count - 1), request);
            }

            return false;
        });
    }

    private void LoadDetail(ListScreen list, int row, int request) =>
        _ = Task.Run(async () =>
        {
            string text;
            try
            {
                text = await list.DetailAsync(row, CancellationToken.None) ?? string.Empty;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                text = Problem.From(e, _navigator.Session.Target, startingUp: false).Message;
            }

            _app.Invoke(() =>
            {
                if (request == _detailRequest && ReferenceEquals(_navigator.Current, list))
                {
                    Window.Detail.Text = text;
                }
            });
        });

    private void InBackground(string busyText, Func<CancellationToken, Task> work, Action done, Action? onError = null, bool keepMessage = false)
    {
        if (_busy is not null)
        {
            ShowMessage($"Still busy: {_busy.Text}…");
            return;
        }

        _busy = new BusyWork(busyText, DateTimeOffset.UtcNow, keepMessage);
        if (!keepMessage)
        {
            ShowMessage(busyText + "…");
        }

        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                // Nothing cancels work yet (a purge in progress finishes, then reports); the parameter is there for it.
                await work(CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e;
            }

            _app.Invoke(() =>
            {
                _busy = null;
                if (error is null)
                {
                    if (!keepMessage && Window.Message.Text.StartsWith(busyText + "…", StringComparison.Ordinal))
                    {
                        ShowMessage(string.Empty);
                    }

                    done();
                }
                else
                {
                    onError?.Invoke();
                    ShowProblem(Problem.From(error, _navigator.Session.Target, startingUp: !_started));
                }
            });
        });
    }

    private bool ShowBusy()
    {
        if (_busy is { Quiet: false } busy)
        {
            var elapsed = (DateTimeOffset.UtcNow - busy.Started).TotalSeconds;
            var progress = _purging is { ReportsProgress: true } plan ? $" {Format.Count(_progress.Value)} of {Format.Count(plan.Count)} deleted" : string.Empty;
            ShowMessage($"{busy.Text}…{progress} ({elapsed:0.0} s)");
        }

        return true;
    }

    private void ShowProblem(Problem problem)
    {
        if (problem.Fatal)
        {
            _started = false;
            Fatal = problem;
            Window.Table.Visible = false;
            Window.Json.Visible = true;
            Window.Header.Text = "tesladb-admin cannot open this database";
            Window.Json.Text = $"\n  {problem.Message}\n\n  Press F5 to try again, q to quit.";
            Window.Detail.Text = string.Empty;
        }

        ShowMessage(problem.Message);
    }

    private void ShowMessage(string text) => Window.Message.Text = text;

    /// <summary>The one piece of database work running; <paramref name="Quiet"/> work (a refresh after a purge) leaves
    /// the message line to the result it follows.</summary>
    private sealed record BusyWork(string Text, DateTimeOffset Started, bool Quiet);

    /// <summary>The latest count a purge reported, read by the busy timer.</summary>
    private sealed class LatestProgress : IProgress<long>
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Report(long value) => Interlocked.Exchange(ref _value, value);
    }
}
