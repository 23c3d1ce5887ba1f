using Terminal.Gui.Views;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>The current page of a <see cref="ListScreen"/> as TableView asks for it, cell by cell: each row is
/// formatted once, on first use, not once per cell and per redraw.</summary>
internal sealed class ScreenTableSource(ListScreen screen) : ITableSource
{
    private readonly IReadOnlyList<string>?[] _rows = new IReadOnlyList<string>?[screen.Count];

    public string[] ColumnNames { get; } = [.. screen.Columns];

    public int Columns => ColumnNames.Length;

    public int Rows => _rows.Length;

    public object this[int row, int col] => (_rows[row] ??= screen.Row(row))[col];
}

/// <summary>A fixed table (statistics, migration status, help).</summary>
internal sealed class RowsTableSource(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) : ITableSource
{
    public string[] ColumnNames { get; } = [.. columns];

    public int Columns => ColumnNames.Length;

    public int Rows => rows.Count;

    public object this[int row, int col] => rows[row][col];
}
