namespace TeslaDb.Admin.Views;

/// <summary>
/// What the console is given besides its session: the watch interval, where copies go, where exports are written.
/// The defaults are the real terminal's; tests replace the clipboard and the folder.
/// </summary>
/// <param name="WatchInterval">How often watch (w) reloads the list; k9s refreshes every 2 s.</param>
/// <param name="Clipboard">Writes an OSC 52 sequence; null: to the terminal through the driver (none when TERM=dumb).</param>
/// <param name="ExportFolder">Where the export prompt proposes its file; null: the current directory.</param>
internal sealed record ConsoleOptions(TimeSpan WatchInterval, Action<string>? Clipboard = null, string? ExportFolder = null);
