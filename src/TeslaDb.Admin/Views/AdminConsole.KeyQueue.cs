using Terminal.Gui.Input;

namespace TeslaDb.Admin.Views;

/// <summary>
/// Keys pressed while database work runs wait in a queue and are replayed, in order, when it ends — the way a
/// terminal buffers typing — instead of being refused with "Still busy". A key replays through the same route as a
/// key typed (so j inside a page still moves the table), one per main-loop turn: when one opens a dialog, the keys
/// after it land in that dialog. Commands marked WhileBusy (cancel, quit) run at once.
/// </summary>
internal sealed partial class AdminConsole
{
    /// <summary>More keys than this while busy are dropped (a key held down over a slow page).</summary>
    private const int MaxQueuedKeys = 32;

    private readonly Queue<Key> _queuedKeys = new();

    /// <summary>True when <paramref name="key"/> was queued (or dropped, the queue being full) because work is running.</summary>
    private bool QueueWhileBusy(Key key)
    {
        if (_busy is null && _queuedKeys.Count == 0)
        {
            return false;
        }

        var command = _commands.FirstOrDefault(c => c.IsBoundTo(key) && c.Enabled());
        if (command is null || command.WhileBusy)
        {
            return false;
        }

        if (_queuedKeys.Count >= MaxQueuedKeys)
        {
            ShowMessage($"Still busy: {_busy?.Text}… (key {key} dropped, {MaxQueuedKeys} already waiting)");
            return true;
        }

        _queuedKeys.Enqueue(key);
        return true;
    }

    /// <summary>Replays the waiting keys, one per main-loop turn, until one starts work again (the rest wait for it).</summary>
    private void ReplayQueuedKeys()
    {
        if (_busy is not null || _queuedKeys.Count == 0)
        {
            return;
        }

        var key = _queuedKeys.Dequeue();
        // Scheduled before the key runs: a key that opens a dialog runs its loop inside RaiseKeyDownEvent.
        _app.Invoke(ReplayQueuedKeys);
        _app.Keyboard.RaiseKeyDownEvent(key);
    }
}
