namespace TeslaDb.Admin.Core;

/// <summary>One level of the drill-down (accounts, vehicles, cached responses, one response).</summary>
public abstract class Screen
{
    /// <summary>Its part of the breadcrumb: "Accounts", "alice@example.com", "5YJ3E1EA7PF000001".</summary>
    public abstract string Title { get; }
}

/// <summary>
/// A screen that lists rows a page at a time. The view shows <see cref="Columns"/> and <see cref="Row"/> of the
/// current page and asks for the next or previous page at its edges; everything else (queries, formatting, what
/// Enter opens, what Delete purges) is decided here.
/// </summary>
public abstract class ListScreen : Screen
{
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Indexes into <see cref="Columns"/> of free text a user chose (an account's or a car's name), which
    /// the view keeps narrow so one long name cannot push the other columns off screen.</summary>
    public virtual IReadOnlyList<int> NameColumns => [];

    /// <summary>Rows on the current page.</summary>
    public abstract int Count { get; }

    public abstract int PageIndex { get; }

    public abstract int PageSize { get; }

    public abstract bool HasNext { get; }

    public abstract bool HasPrevious { get; }

    /// <summary>What the filter prompt asks for; null when this list cannot be filtered.</summary>
    public abstract string? FilterPrompt { get; }

    public string? Filter { get; private set; }

    /// <summary>The row selected when this list opened another screen; selected again on the way back.</summary>
    public int Selected { get; set; }

    /// <summary>"rows 101–200 · page 2 · more below", or what is empty; then the filter and the order when not the natural one.</summary>
    public string Position => (Count == 0
        ? (Filter is null ? "no rows" : $"no rows match '{Filter}'")
        : $"rows {Format.Count((long)PageIndex * PageSize + 1)}–{Format.Count((long)PageIndex * PageSize + Count)} · page {PageIndex + 1}{(HasNext ? " · more below" : " · end")}"
          + (Filter is null ? string.Empty : $" · filter '{Filter}'"))
        + (SortText is { } sort ? " · " + sort : string.Empty);

    /// <summary>The columns this list sorts by, the first being its natural order; empty when it cannot be sorted.</summary>
    public virtual IReadOnlyList<string> SortColumns => [];

    /// <summary>Index into <see cref="SortColumns"/> of the current order.</summary>
    public int SortColumn { get; private set; }

    public bool SortDescending { get; private set; }

    /// <summary>"sorted by expiry ↑"; null in the natural order.</summary>
    public string? SortText => SortColumn == 0 && !SortDescending ? null : $"sorted by {SortColumns[SortColumn]} {(SortDescending ? "↓" : "↑")}";

    /// <summary>Why this list cannot be sorted now; null when it can.</summary>
    protected virtual string? SortRefusal => SortColumns.Count == 0 ? $"The {Title} list has one order only." : null;

    /// <summary>Sorts by the next column of <see cref="SortColumns"/> (after the last, the natural order again) and loads the first page.</summary>
    /// <exception cref="UserInputException">This list cannot be sorted.</exception>
    public Task SortByNextColumnAsync(CancellationToken cancellationToken) =>
        SortAsync(SortColumns.Count == 0 ? 0 : (SortColumn + 1) % SortColumns.Count, SortDescending, cancellationToken);

    /// <summary>Reverses the order and loads the first page.</summary>
    /// <exception cref="UserInputException">This list cannot be sorted.</exception>
    public Task ReverseOrderAsync(CancellationToken cancellationToken) => SortAsync(SortColumn, !SortDescending, cancellationToken);

    /// <summary>Sorts by <paramref name="column"/> (an index into <see cref="SortColumns"/>) and loads the first page.</summary>
    /// <exception cref="UserInputException">This list cannot be sorted.</exception>
    public async Task SortAsync(int column, bool descending, CancellationToken cancellationToken)
    {
        if (SortRefusal is { } refusal)
        {
            throw new UserInputException(refusal);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, SortColumns.Count);
        var (previousColumn, previousDescending) = (SortColumn, SortDescending);
        (SortColumn, SortDescending) = (column, descending);
        try
        {
            await LoadFirstAsync(cancellationToken);
        }
        catch
        {
            (SortColumn, SortDescending) = (previousColumn, previousDescending);
            throw;
        }
    }

    /// <summary>The column names of an export (raw values: ids, ISO 8601 times, bytes), also the keys of a copied row.</summary>
    public virtual IReadOnlyList<string> ExportColumns => Columns;

    /// <summary>Row <paramref name="index"/> of the current page as exported.</summary>
    public abstract IReadOnlyList<string> ExportRow(int index);

    /// <summary>
    /// Every row of this list, in its current filter and order, read from the first page to the last a page of
    /// <paramref name="pageSize"/> at a time (keyset), independently of the page on screen: only one page is held.
    /// </summary>
    public abstract IAsyncEnumerable<IReadOnlyList<string>> AllRowsAsync(int pageSize, CancellationToken cancellationToken);

    public abstract IReadOnlyList<string> Row(int index);

    public abstract Task LoadFirstAsync(CancellationToken cancellationToken);

    public abstract Task ReloadAsync(CancellationToken cancellationToken);

    public abstract Task<bool> NextPageAsync(CancellationToken cancellationToken);

    public abstract Task<bool> PreviousPageAsync(CancellationToken cancellationToken);

    /// <summary>Filters the list (empty text clears the filter) and loads its first page.</summary>
    /// <exception cref="UserInputException">The text cannot be a filter of this list.</exception>
    public async Task ApplyFilterAsync(string? text, CancellationToken cancellationToken)
    {
        if (FilterPrompt is null)
        {
            throw new UserInputException($"The {Title} list has no filter.");
        }

        var filter = string.IsNullOrWhiteSpace(text) ? null : CheckFilter(text.Trim());
        var previous = Filter;
        Filter = filter;
        try
        {
            await LoadFirstAsync(cancellationToken);
        }
        catch
        {
            Filter = previous;
            throw;
        }
    }

    /// <summary>The screen Enter opens for a row; null when a row opens nothing.</summary>
    public abstract Task<Screen?> OpenAsync(int index, CancellationToken cancellationToken);

    /// <summary>What Delete purges for a row (the row's response, vehicle or account); null when a row has nothing to purge.</summary>
    public virtual PurgeScope? PurgeScopeOf(int index) => null;

    /// <summary>A line about the selected row shown under the list (the token of an account); null for none.</summary>
    public virtual Task<string?> DetailAsync(int index, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>The vehicle a row is about (for its freshness lanes); null when the row has none.</summary>
    public virtual Access.Vehicles.VehicleSummary? VehicleOf(int index) => null;

    /// <summary>The endpoint of the row, for "purge this endpoint everywhere"; null when the row has none.</summary>
    public virtual string? EndpointOf(int index) => null;

    /// <summary>Checks and normalises filter text.</summary>
    /// <exception cref="UserInputException">It cannot be a filter of this list.</exception>
    protected virtual string CheckFilter(string text) => text;
}

/// <summary>A <see cref="ListScreen"/> over a keyset-paginated repository query.</summary>
public abstract class ListScreen<TItem, TCursor> : ListScreen
    where TCursor : class
{
    private readonly PagedList<TItem, TCursor> _pages;

    protected ListScreen(int pageSize)
    {
        _pages = new PagedList<TItem, TCursor>(FetchAsync, pageSize);
    }

    public IReadOnlyList<TItem> Items => _pages.Items;

    public override int Count => _pages.Items.Count;

    public override int PageIndex => _pages.PageIndex;

    public override int PageSize => _pages.PageSize;

    public override bool HasNext => _pages.HasNext;

    public override bool HasPrevious => _pages.HasPrevious;

    public override IReadOnlyList<string> Row(int index) => Cells(_pages.Items[index]);

    public override IReadOnlyList<string> ExportRow(int index) => ExportCells(_pages.Items[index]);

    public override async IAsyncEnumerable<IReadOnlyList<string>> AllRowsAsync(
        int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TCursor? after = null;
        do
        {
            var (items, next) = await FetchAsync(after, pageSize, cancellationToken);
            foreach (var item in items)
            {
                yield return ExportCells(item);
            }

            after = next;
        }
        while (after is not null);
    }

    public override Task LoadFirstAsync(CancellationToken cancellationToken) => _pages.LoadFirstAsync(cancellationToken);

    public override Task ReloadAsync(CancellationToken cancellationToken) => _pages.ReloadAsync(cancellationToken);

    public override Task<bool> NextPageAsync(CancellationToken cancellationToken) => _pages.NextAsync(cancellationToken);

    public override Task<bool> PreviousPageAsync(CancellationToken cancellationToken) => _pages.PreviousAsync(cancellationToken);

    protected abstract Task<(IReadOnlyList<TItem> Items, TCursor? Next)> FetchAsync(TCursor? after, int pageSize, CancellationToken cancellationToken);

    protected abstract IReadOnlyList<string> Cells(TItem item);

    /// <summary>A row as exported (raw values); the cells on screen unless a list says otherwise.</summary>
    protected virtual IReadOnlyList<string> ExportCells(TItem item) => Cells(item);
}
