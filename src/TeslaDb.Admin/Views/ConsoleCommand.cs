using Terminal.Gui.Input;

namespace TeslaDb.Admin.Views;

/// <summary>
/// One row of the console's table of commands (<see cref="AdminConsole"/>.Commands): the keys it is bound to, how
/// the help screen writes them, what the status bar calls it (null: not on the status bar), what it does, when it is
/// enabled, and what runs. The key dispatch, the status bar and the help screen are all built from that one table.
/// </summary>
/// <param name="Run">Runs the command; false lets the key go on to the focused view (arrows inside a page).</param>
/// <param name="WhileBusy">Runs at once even while database work runs (cancel, quit); other keys wait their turn.</param>
internal sealed record ConsoleCommand(Key[] Keys, string KeyText, string? StatusTitle, string Help, Func<bool> Enabled, Func<Key, bool> Run, bool WhileBusy = false)
{
    public bool IsBoundTo(Key key) => Keys.Any(k => k == key);
}
