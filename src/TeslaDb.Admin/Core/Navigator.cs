namespace TeslaDb.Admin.Core;

/// <summary>
/// The drill-down: accounts → an account's vehicles → a vehicle's cached responses → one response. Enter pushes a
/// screen, Esc pops one; a jump by VIN pushes from wherever the operator is.
/// </summary>
public sealed class Navigator(AdminSession session)
{
    private readonly Stack<Screen> _screens = new();

    public AdminSession Session { get; } = session;

    public Screen Current => _screens.Peek();

    public int Depth => _screens.Count;

    /// <summary>"Accounts › alice@example.com › 5YJ3E1EA7PF000001 › charge_state".</summary>
    public string Breadcrumb => string.Join(" › ", _screens.Reverse().Select(s => s.Title));

    /// <summary>Opens the account list (the root) and loads its first page; the first time, the page
    /// <see cref="AdminSession.PrefetchFirstPage"/> started while the terminal was starting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var accounts = Session.TakeFirstPage() is { } prefetched ? await prefetched : await LoadAccountsAsync(Session, cancellationToken);
        _screens.Clear();
        _screens.Push(accounts);
    }

    /// <summary>
    /// Opens the account list from the prefetched first page when it is read within <paramref name="wait"/> (blocks
    /// the caller that long at most); false when there is none, it is still loading, or it failed (then
    /// <see cref="StartAsync"/> takes it and its error shows as any load's would).
    /// </summary>
    public bool TryStartPrefetched(TimeSpan wait)
    {
        if (Session.PeekFirstPage() is not { } prefetched)
        {
            return false;
        }

        // A wait handle, not Task.Wait: a failed load must not throw here.
        if (!prefetched.IsCompleted)
        {
            ((IAsyncResult)prefetched).AsyncWaitHandle.WaitOne(wait);
        }

        if (!prefetched.IsCompletedSuccessfully || Session.TakeFirstPage() != prefetched)
        {
            return false;
        }

        _screens.Clear();
        _screens.Push(prefetched.Result);
        return true;
    }

    internal static async Task<AccountsScreen> LoadAccountsAsync(AdminSession session, CancellationToken cancellationToken)
    {
        LaunchSteps.Mark("first page: query");
        var accounts = new AccountsScreen(session);
        await accounts.LoadFirstAsync(cancellationToken);
        LaunchSteps.Mark("first page: rows read");
        return accounts;
    }

    /// <summary>Opens the selected row of the current list; false when it opens nothing.</summary>
    public async Task<bool> OpenAsync(int index, CancellationToken cancellationToken)
    {
        if (Current is not ListScreen list || index < 0 || index >= list.Count)
        {
            return false;
        }

        var next = await list.OpenAsync(index, cancellationToken);
        if (next is null)
        {
            return false;
        }

        _screens.Push(next);
        return true;
    }

    /// <summary>Back one level; false at the root.</summary>
    public bool Back()
    {
        if (_screens.Count <= 1)
        {
            return false;
        }

        _screens.Pop();
        return true;
    }

    /// <summary>Opens the journal of purges, newest first, from wherever the operator is.</summary>
    public async Task OpenJournalAsync(CancellationToken cancellationToken)
    {
        var journal = new JournalScreen(Session);
        await journal.LoadFirstAsync(cancellationToken);
        _screens.Push(journal);
    }

    /// <summary>
    /// Shows the vehicles of every account whose VIN starts with <paramref name="vin"/>; when exactly one matches,
    /// goes straight on to its cached responses.
    /// </summary>
    /// <exception cref="UserInputException">The text cannot start a VIN, or no vehicle has such a VIN.</exception>
    public async Task JumpToVinAsync(string vin, CancellationToken cancellationToken)
    {
        var vehicles = await VehiclesScreen.WithVinAsync(Session, vin, cancellationToken);
        if (vehicles.Count == 0)
        {
            throw new UserInputException($"No vehicle has a VIN starting with {vehicles.Filter}.");
        }

        _screens.Push(vehicles);
        if (vehicles.Count == 1 && !vehicles.HasNext)
        {
            await OpenAsync(0, cancellationToken);
        }
    }
}
