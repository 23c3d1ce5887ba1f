using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Drawing;
using Terminal.Gui.Views;
using TeslaDb.Admin.Core;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace TeslaDb.Admin.Views;

/// <summary>A read-only table in a dialog: cache statistics, migration status, the help screen. Esc or Enter closes.</summary>
internal sealed class TableDialog : Dialog
{
    private TableDialog(string title, string summary, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, Func<int, int, FreshnessState?>? tone)
    {
        HotKeySpecifier = MainWindow.NoHotKey;
        Title = title;
        // Nearly the whole width: at 80 columns a 90 % dialog cut the help's explanations and the lanes' dates.
        Width = Dim.Fill(2);
        Height = Dim.Percent(85);
        // A summary of several lines (a token line under a login-required mark) keeps them all above the table.
        var lines = summary.Split('\n').Length;
        var label = new Label { X = 1, Y = 0, Width = Dim.Fill(1), Height = lines, Text = summary, HotKeySpecifier = MainWindow.NoHotKey };
        label.TextFormatter.WordWrap = false;
        label.TextFormatter.MultiLine = true;
        var table = new TableView
        {
            X = 1, Y = lines, Width = Dim.Fill(1), Height = Dim.Fill(2), FullRowSelect = true, CollectionNavigator = null,
            Table = new RowsTableSource(columns, rows),
        };
        table.Style.ExpandLastColumn = true;
        for (var column = 0; tone is not null && column < columns.Count; column++)
        {
            var at = column;
            table.Style.GetOrCreateColumnStyle(at).ColorGetter = cell => tone(cell.RowIndex, at) switch
            {
                FreshnessState.Fresh => new Scheme(new Attribute(ColorName16.Black, ColorName16.Green)),
                FreshnessState.ExpiringSoon => new Scheme(new Attribute(ColorName16.Black, ColorName16.Yellow)),
                FreshnessState.Expired => new Scheme(new Attribute(ColorName16.White, ColorName16.Red)),
                _ => null,
            };
        }

        Add(label, table);
        AddButton(new Button { Title = "_Close" });
    }

    /// <param name="tone">Colours a cell by state (fresh green, expiring yellow, expired red); null leaves it plain.</param>
    public static void Show(IApplication app, string title, string summary, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows,
        Func<int, int, FreshnessState?>? tone = null)
    {
        using var dialog = new TableDialog(title, summary, columns, rows, tone);
        app.Run(dialog);
    }
}
