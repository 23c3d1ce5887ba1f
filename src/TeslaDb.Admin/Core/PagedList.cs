namespace TeslaDb.Admin.Core;

/// <summary>
/// One page of a keyset-paginated list in memory at a time. Going forward passes the last row's cursor to the
/// repository; going back reuses the start cursor remembered for each page (one small key per page visited, never
/// the rows), so memory stays flat however far an operator scrolls.
/// </summary>
public sealed class PagedList<TItem, TCursor>(
    Func<TCursor?, int, CancellationToken, Task<(IReadOnlyList<TItem> Items, TCursor? Next)>> fetch, int pageSize)
    where TCursor : class
{
    private readonly List<TCursor?> _pageStarts = [null];

    public IReadOnlyList<TItem> Items { get; private set; } = [];

    public int PageSize { get; } = pageSize > 0 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize));

    /// <summary>0 for the first page.</summary>
    public int PageIndex => _pageStarts.Count - 1;

    public bool HasNext => Next is not null;

    public bool HasPrevious => PageIndex > 0;

    private TCursor? Next { get; set; }

    public Task LoadFirstAsync(CancellationToken cancellationToken)
    {
        _pageStarts.Clear();
        _pageStarts.Add(null);
        return LoadAsync(cancellationToken);
    }

    /// <summary>Loads the page again from the same start (rows written since show up; deleted ones go).</summary>
    public Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<bool> NextAsync(CancellationToken cancellationToken)
    {
        if (Next is null)
        {
            return false;
        }

        _pageStarts.Add(Next);
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch
        {
            _pageStarts.RemoveAt(_pageStarts.Count - 1);
            throw;
        }

        return true;
    }

    public async Task<bool> PreviousAsync(CancellationToken cancellationToken)
    {
        if (!HasPrevious)
        {
            return false;
        }

        var current = _pageStarts[^1];
        _pageStarts.RemoveAt(_pageStarts.Count - 1);
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch
        {
            _pageStarts.Add(current);
            throw;
        }

        return true;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (items, next) = await fetch(_pageStarts[^1], PageSize, cancellationToken);
        Items = items;
        Next = next;
    }
}
