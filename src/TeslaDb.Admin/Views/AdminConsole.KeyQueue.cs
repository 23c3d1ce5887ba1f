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

    /// <summary>Set while a queued key is raised again: that key runs instead of going back to the queue's end.</summary>
    private bool _replayingKey;

    /// <summary>True when <paramref name="key"/> was queued (or dropped, the queue being full) because work is running.</summary>
    private bool QueueWhileBusy(Key key)
    {
        if (_replayingKey)
        {
            // The replayed key itself. Without this, with other keys still waiting it went back to the end of the
            // queue, and so did each after it: the keys cycled for ever and the console stopped answering (a held
            // PageDown over a page load was enough).
            _replayingKey = false;
            return false;
        }

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
        // The next key on the next turn, scheduled before this one runs: a key that opens a dialog runs the dialog's
        // loop inside RaiseKeyDownEvent, and the keys after it land in the dialog. A timer, not Invoke: called on the
        // UI thread, Invoke runs at once, which replayed the keys last first.
        _app.AddTimeout(TimeSpan.Zero, () =>
        {
            ReplayQueuedKeys();
            return false;
        });
        // Marked handled when it was queued: left so, Terminal.Gui would not pass it on to the views (a PageDown
        // within the page is the table's own).
        key.Handled = false;
        _replayingKey = true;
        try
        {
            _app.Keyboard.RaiseKeyDownEvent(key);
        }
        finally
        {
            _replayingKey = false; // also when the key never reached the console's handler (a dialog on top)
        }
    }
}
