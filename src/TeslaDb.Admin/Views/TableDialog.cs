using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace TeslaDb.Admin.Views;

/// <summary>A read-only table in a dialog: cache statistics, migration status, the help screen. Esc or Enter closes.</summary>
internal sealed class TableDialog : Dialog
{
    private TableDialog(string title, string summary, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        HotKeySpecifier = MainWindow.NoHotKey;
        Title = title;
        Width = Dim.Percent(90);
        Height = Dim.Percent(85);
        var label = new Label { X = 1, Y = 0, Width = Dim.Fill(1), Text = summary, HotKeySpecifier = MainWindow.NoHotKey };
        var table = new TableView
        {
            X = 1, Y = 1, Width = Dim.Fill(1), Height = Dim.Fill(2), FullRowSelect = true, CollectionNavigator = null,
            Table = new RowsTableSource(columns, rows),
        };
        table.Style.ExpandLastColumn = true;
        Add(label, table);
        AddButton(new Button { Title = "_Close" });
    }

    public static void Show(IApplication app, string title, string summary, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        using var dialog = new TableDialog(title, summary, columns, rows);
        app.Run(dialog);
    }
}
