using Terminal.Gui.Input;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>The table of commands: the only place a key of the console is named.</summary>
internal sealed partial class AdminConsole
{
    private IReadOnlyList<ConsoleCommand> BuildCommands()
    {
        Func<bool> always = () => true;
        Func<bool> started = () => _started;
        // The status bar shows the commands with a title; it must fit 120 columns (the rest are in the help, F1):
        // Enter, Esc, g and h left it for copy, export, sort and watch.
        return
        [
            // Order matters where keys are shared: the first enabled command bound to a key runs.
            new([Key.Esc], "Esc (purge running)", null, "cancel the running purge: batches already deleted stay deleted, the journal says so",
                () => _purge is { Deleting: true }, _ => Do(CancelPurge), WhileBusy: true),
            new([Key.Esc], "Esc (export running)", null, "cancel the running export: no file is left", () => _export is not null, _ => Do(CancelExport), WhileBusy: true),
            new([Key.CursorDown, Key.J], "↓ j", null, "move down; past the last row loads the next page", started, key => Move(forward: true, key == Key.J, Command.Down)),
            new([Key.CursorUp, Key.K], "↑ k", null, "move up; past the first row loads the previous page", started, key => Move(forward: false, key == Key.K, Command.Up)),
            new([Key.PageDown], "PgDn", null, "a screen down (and across pages)", started, _ => Move(forward: true, translate: false, Command.PageDown)),
            new([Key.PageUp], "PgUp", null, "a screen up (and across pages)", started, _ => Move(forward: false, translate: false, Command.PageUp)),
            new([Key.F1, new Key('?')], "F1 ?", "Help", "this help", started, _ => Do(ShowHelp)),
            new([Key.Enter], "Enter", null, "open: account → vehicles → cached responses → JSON (double-click too)", started, _ => Do(Open)),
            new([Key.Esc, Key.Backspace], "Esc Backspace", null, "back one level", always, _ => Do(Back)),
            new([new Key('/')], "/", "Filter", "filter this list (accounts: user id, account id, or part of an e-mail or name; vehicles: VIN; responses: endpoint)", started, _ => Do(AskFilter)),
            new([Key.G], "g", null, "go to a vehicle by VIN, from anywhere", started, _ => Do(AskVin)),
            new([Key.F5], "F5", null, "refresh this list (or try to connect again)", always, _ => Do(Refresh)),
            new([Key.D, Key.Delete], "d Delete", "Purge", "purge the selected response, or all cached for the selected vehicle or account", started, _ => Do(PurgeSelected)),
            new([Key.E], "e", null, "purge the selected endpoint for every vehicle", started, _ => Do(PurgeEndpoint)),
            new([Key.X], "x", null, "purge every expired cached response (cleanup_expired_cache())", started, _ => Do(() => Purge(new PurgeScope.Expired()))),
            new([Key.S], "s", "Stats", "cache statistics per endpoint", started, _ => Do(ShowStatistics)),
            new([Key.M], "m", null, "migration status", started, _ => Do(ShowMigrations)),
            new([Key.H], "h", null, "health: sizes, live/dead rows, vacuum, bloat, long queries and locks, pg_cron cleanup, cache by age", started, _ => Do(ShowHealth)),
            new([Key.F], "f", null, "freshness of the selected vehicle: one lane per endpoint from fetch to expiry, now marked, token state", started, _ => Do(ShowFreshness)),
            new([Key.L], "l", "Journal", "journal of purges: when, who, what, how many rows, completed or cancelled", started, _ => Do(OpenJournal)),
            new([Key.C], "c", "Copy", "copy the selected row (JSON of its values) or the open JSON to the clipboard (OSC 52, works over SSH); tokens never", started, _ => Do(Copy)),
            new([new Key('>')], ">", "Export", "export the whole list (every page, streamed) to .csv or .jsonl, or the open JSON to .json; Esc cancels", started, _ => Do(Export)),
            new([Key.O], "o", "Sort", "sort by the next column (responses: expiry, fetched, size; an account's vehicles: last synced)", started, _ => Do(() => Sort(reverse: false))),
            new([Key.O.WithShift], "O", null, "reverse the order", started, _ => Do(() => Sort(reverse: true))),
            new([Key.W], "w", "Watch", "watch: reload this list every few seconds (--watch-interval, 2 s), \"updated N s ago\"; w again pauses", started, _ => Do(ToggleWatch)),
            new([Key.Q, Key.Q.WithShift], "q", "Quit", "quit (refused while a purge runs)", always, _ => Do(Quit), WhileBusy: true),
        ];

        static bool Do(Action action)
        {
            action();
            return true;
        }
    }

    /// <summary>Runs the first enabled command bound to <paramref name="key"/>; false when none handled it.</summary>
    private bool Dispatch(Key key) =>
        _commands.FirstOrDefault(c => c.IsBoundTo(key) && c.Enabled()) is { } command && command.Run(key);

    private void ShowHelp() =>
        TableDialog.Show(_app, "Keys", "Every key (the mouse works too: click a row, double-click to open).",
            ["Key", "Action"], [.. _commands.Select(c => (IReadOnlyList<string>)[c.KeyText, c.Help])]);
}
