using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Database work off the UI thread, one piece at a time; the busy line; problems.</summary>
internal sealed partial class AdminConsole
{
    private BusyWork? _busy;

    /// <summary>Runs <paramref name="work"/> on the thread pool and <paramref name="done"/> back on the UI thread;
    /// false (and a message) when other work is still running.</summary>
    private bool InBackground(string busyText, Func<CancellationToken, Task> work, Action done, Action? onError = null, bool keepMessage = false)
    {
        if (_busy is not null)
        {
            ShowMessage($"Still busy: {_busy.Text}…");
            return false;
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
                // Only purges can be cancelled (their own token); a page load is short and simply finishes.
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

                ReplayQueuedKeys();
            });
        });
        return true;
    }

    private bool ShowBusy()
    {
        if (_busy is { Quiet: false } busy)
        {
            var elapsed = (DateTimeOffset.UtcNow - busy.Started).TotalSeconds;
            var text = _purge?.Describe() ?? ExportProgress() ?? busy.Text + "…";
            ShowMessage($"{text} ({elapsed:0.0} s){(_purge is { Deleting: true } || _export is not null ? " · Esc cancels" : string.Empty)}");
        }

        if (_watching)
        {
            DrawHeader(); // "updated N s ago" keeps counting
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
            Window.Json.WordWrap = true; // the message says what to do at its end: wrapped, never cut
            Window.Header.Text = "tesladb-admin cannot open this database";
            Window.Json.Text = $"\n  {problem.Message}\n\n  Press F5 to try again, q to quit.";
            Window.Detail.Text = string.Empty;
        }

        ShowMessage(problem.Message);
    }

    /// <summary>The one piece of database work running; <paramref name="Quiet"/> work (a refresh after a purge) leaves
    /// the message line to the result it follows.</summary>
    private sealed record BusyWork(string Text, DateTimeOffset Started, bool Quiet);
}
