using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>
/// Watch (w): reloads the list on screen every <see cref="ConsoleOptions.WatchInterval"/> (2 s by default, like k9s)
/// and says in the header how long ago it was last updated; w again pauses it. A reload waits its turn: never while
/// other work runs, keys wait to be replayed, or a dialog is open.
/// </summary>
internal sealed partial class AdminConsole
{
    private bool _watching;
    private bool _watchEverStarted;
    private object? _watchTimer;
    private DateTimeOffset? _updatedAt;

    private void ToggleWatch()
    {
        _watching = !_watching;
        _watchEverStarted = true;
        if (_watchTimer is not null)
        {
            _app.RemoveTimeout(_watchTimer);
            _watchTimer = null;
        }

        if (_watching)
        {
            _watchTimer = _app.AddTimeout(_options.WatchInterval, WatchTick);
            ShowMessage($"Watching: this list reloads every {Format.Age(_options.WatchInterval)}; w pauses.");
            WatchTick();
        }
        else
        {
            ShowMessage("Watch paused: w resumes.");
        }

        DrawHeader();
    }

    private bool WatchTick()
    {
        if (!_watching)
        {
            return false;
        }

        if (_busy is null && _queuedKeys.Count == 0 && ReferenceEquals(_app.TopRunnable, Window) && _navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            InBackground("Refreshing", list.ReloadAsync, () =>
            {
                _updatedAt = DateTimeOffset.UtcNow;
                if (ReferenceEquals(_navigator.Current, list))
                {
                    Render(select: row);
                }
            }, keepMessage: true);
        }

        return true;
    }

    /// <summary>"watch 2 s · updated 1 s ago", "watch paused", or nothing when watch was never turned on.</summary>
    private string WatchText()
    {
        if (!_watchEverStarted)
        {
            return string.Empty;
        }

        if (!_watching)
        {
            return "   [watch paused]";
        }

        var ago = _updatedAt is { } at ? $"updated {Format.Age(DateTimeOffset.UtcNow - at)} ago" : "updating";
        return _navigator.Current is ListScreen ? $"   [watch {Format.Age(_options.WatchInterval)} · {ago}]" : "   [watch: lists only]";
    }
}
