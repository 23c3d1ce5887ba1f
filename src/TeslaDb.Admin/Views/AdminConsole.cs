using Terminal.Gui.App;
using Terminal.Gui.Input;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>
/// Binds the keys and the mouse of <see cref="MainWindow"/> to the Core classes and shows their results. Split by
/// concern: the table of commands (.Commands), moving and opening (.Navigation), purges (.Purges), reports and help
/// (.Reports), background work and problems (.Background). Database work runs off the UI thread, one piece at a
/// time; its results come back through <see cref="IApplication.Invoke(Action)"/>, so the screen never freezes.
/// </summary>
internal sealed partial class AdminConsole
{
    private readonly IApplication _app;
    private readonly Navigator _navigator;
    private readonly PurgeWorkflow _purges;
    private readonly IReadOnlyList<ConsoleCommand> _commands;
    private readonly ConsoleOptions _options;
    private readonly Osc52Clipboard _clipboard;
    private bool _started;

    public AdminConsole(IApplication app, AdminSession session, ConsoleOptions? options = null)
    {
        _app = app;
        _options = options ?? new ConsoleOptions(session.WatchInterval);
        _clipboard = CreateClipboard(_options);
        _navigator = new Navigator(session);
        _purges = new PurgeWorkflow(session, new PurgeConfirmationDialog(app));
        _commands = BuildCommands();
        Window = new MainWindow(session.Description, session.Environment, session.ReadOnly,
            // Help and Quit first: a narrow terminal cuts the bar's end, and those two are what a lost operator needs.
            [.. _commands.Where(c => c.StatusTitle is not null).OrderBy(c => c.Keys[0] == Key.F1 ? 0 : c.Keys[0] == Key.Q ? 1 : 2)
                .Select(c => (c.Keys[0], c.StatusTitle!))], key => Dispatch(key));
        Window.Table.Accepting += (_, e) =>
        {
            e.Handled = true;
            Open();
        };
        Window.Table.ValueChanged += (_, _) => RequestDetail();

        // Before any view: the console's one-letter keys must not reach the table's or the JSON view's own handling.
        _app.Keyboard.KeyDown += (_, key) =>
        {
            if (ReferenceEquals(_app.TopRunnable, Window) && (QueueWhileBusy(key) || Dispatch(key)))
            {
                key.Handled = true;
            }
        };
        _app.AddTimeout(TimeSpan.FromMilliseconds(250), ShowBusy);
    }

    public MainWindow Window { get; }

    /// <summary>The table of commands (keys, help, status bar titles).</summary>
    internal IReadOnlyList<ConsoleCommand> Commands => _commands;

    /// <summary>The problem that stopped the console from starting (cannot connect, not migrated); null when it runs.</summary>
    public Problem? Fatal { get; private set; }

    /// <summary>
    /// How long the first frame waits for the first page of accounts, read since the session opened: a page there by
    /// then is in the first frame drawn (no "Connecting…" flash, no extra main-loop round before it shows); with a
    /// slower database the window comes after this wait, saying "Connecting…", and the page when it is read.
    /// </summary>
    internal static readonly TimeSpan FirstPageWait = TimeSpan.FromMilliseconds(200);

    /// <summary>Shows the first screen: the prefetched page when it is (almost) there, else loaded in the background.</summary>
    public void Start()
    {
        if (_navigator.TryStartPrefetched(FirstPageWait))
        {
            Started();
            return;
        }

        InBackground("Connecting", _navigator.StartAsync, Started);
    }

    private void Started()
    {
        _started = true;
        Fatal = null;
        Render();
        LaunchSteps.Mark("first page: rendered");
        // The migration status loads FluentMigrator's runner (reflection over the migrations, much code to compile):
        // on a two-core machine it would slow the first frame it does not appear in, so it starts after that frame.
        AfterNextFrame(CheckMigrations);
    }

    private void AfterNextFrame(Action action)
    {
        EventHandler<EventArgs>? once = null;
        once = (_, _) =>
        {
            _app.LayoutAndDrawComplete -= once;
            action();
        };
        _app.LayoutAndDrawComplete += once;
    }

    private int SelectedRow => Window.Table.Value?.SelectedCell.Y ?? 0;

    private void Quit()
    {
        if (_purge is not null)
        {
            ShowMessage("A purge is running: Esc cancels it (what it deleted so far stays deleted); quit after it stops.");
            return;
        }

        _app.RequestStop(Window);
    }

    private void ShowMessage(string text) => Window.Message.Text = text;
}
