using System.Text;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using TeslaDb.Admin.Core;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace TeslaDb.Admin.Views;

/// <summary>
/// The console's one window: a header (where you are, which database), the list or the JSON of the current screen,
/// a detail line (the selected account's masked token), a message line (progress, results, errors) and the keys.
/// Layout only: <see cref="AdminConsole"/> decides what each part shows.
/// </summary>
internal sealed class MainWindow : Window
{
    /// <param name="shortcuts">The keys the status bar shows, from the console's table of commands.</param>
    /// <param name="onShortcut">What a click on a key of the status bar does: the same as pressing that key.</param>
    public MainWindow(string database, DatabaseEnvironment environment, bool readOnly, IReadOnlyList<(Key Key, string Title)> shortcuts, Action<Key> onShortcut)
    {
        // Names hold underscores (tesladb_demo, charge_state): no view may read them as hot-key markers.
        HotKeySpecifier = NoHotKey;
        Title = $"TeslaDb admin · {environment.Banner} · {database}{(readOnly ? " · READ-ONLY" : string.Empty)}";
        // The environment, in colour, at the end of the message line (always in view, never in the way of the
        // breadcrumb): green local, yellow remote, red production.
        var badge = $" {environment.Banner} ";
        EnvironmentBadge = new Label { X = Pos.AnchorEnd(), Y = Pos.AnchorEnd(2), Width = badge.Length, Height = 1, Text = badge, HotKeySpecifier = NoHotKey };
        EnvironmentBadge.SetScheme(new Scheme(environment.Tone switch
        {
            EnvironmentTone.Production => new Attribute(ColorName16.White, ColorName16.Red),
            EnvironmentTone.Remote => new Attribute(ColorName16.Black, ColorName16.Yellow),
            _ => new Attribute(ColorName16.Black, ColorName16.Green),
        }));
        Header = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, Text = string.Empty, HotKeySpecifier = NoHotKey };
        Table = new TableView
        {
            X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(DetailLines + 2), FullRowSelect = true,
            // Type-to-search would swallow the console's one-letter keys (/, g, q, …).
            CollectionNavigator = null,
        };
        Table.Style.AlwaysShowHeaders = true;
        Table.Style.ExpandLastColumn = true;
        // The table measures its columns on the rows visible when it is given rows: rows given before its first layout
        // (the prefetched first page, on the first frame) or a terminal grown since would keep the headers' widths.
        Table.FrameChanged += (_, _) => Table.RefreshContentSize();
#pragma warning disable CS0618 // TextView is obsolete in 2.5 but the only scrollable, read-only text view that pages with the keyboard.
        Json = new TextView { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(DetailLines + 2), ReadOnly = true, WordWrap = false, Visible = false };
#pragma warning restore CS0618
        // Cut, not wrapped (a label's default), at the terminal's width: a wrapped line pushed the next one out of the
        // label. Lines come most urgent first and each starts with what matters (TokenText): a narrow terminal loses least.
        Detail = new Label { X = 0, Y = Pos.AnchorEnd(DetailLines + 2), Width = Dim.Fill(), Height = DetailLines, Text = string.Empty, HotKeySpecifier = NoHotKey };
        Detail.TextFormatter.WordWrap = false;
        Detail.TextFormatter.MultiLine = true;
        Message = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(badge.Length + 1), Height = 1, Text = string.Empty, HotKeySpecifier = NoHotKey };
        StatusBar = new StatusBar([.. shortcuts.Select(s => new Shortcut(s.Key, s.Title, () => onShortcut(s.Key)))]);
        Add(EnvironmentBadge, Header, Table, Json, Detail, Message, StatusBar);
    }

    /// <summary>Lines under the list for the selected row's detail (a token's three: login-required mark, key, state).</summary>
    public const int DetailLines = 3;

    /// <summary>The widest a name column (<see cref="ListScreen.NameColumns"/>) is drawn.</summary>
    public const int NameWidth = 32;

    /// <summary>What <see cref="View.HotKeySpecifier"/> is set to so that '_' shows as itself.</summary>
    public static Rune NoHotKey { get; } = (Rune)0xFFFF;

    /// <summary>The database's label (--env, or local / remote) in its colour.</summary>
    public Label EnvironmentBadge { get; }

    public Label Header { get; }

    public TableView Table { get; }

#pragma warning disable CS0618
    public TextView Json { get; }
#pragma warning restore CS0618

    public Label Detail { get; }

    public Label Message { get; }

    public StatusBar StatusBar { get; }
}
