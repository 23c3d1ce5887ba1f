using Npgsql;

namespace TeslaDb.Admin.Core;

/// <summary>The journal of purges, newest first (keyset on the entry id); its rows open nothing and purge nothing.</summary>
public sealed class JournalScreen(AdminSession session) : ListScreen<JournalEntry, JournalEntry>(session.PageSize)
{
    public override string Title => "Journal of purges";

    public override IReadOnlyList<string> Columns { get; } = ["When", "Outcome", "Deleted", "Counted", "Took", "Scope", "Database role", "OS user@host"];

    public override string? FilterPrompt => null;

    public override IReadOnlyList<string> ExportColumns { get; } =
        ["id", "started_at", "outcome", "rows_deleted", "rows_counted", "duration_ms", "scope_kind", "scope", "database_role", "os_user", "os_host"];

    public override Task<Screen?> OpenAsync(int index, CancellationToken cancellationToken) => Task.FromResult<Screen?>(null);

    protected override async Task<(IReadOnlyList<JournalEntry> Items, JournalEntry? Next)> FetchAsync(JournalEntry? after, int pageSize, CancellationToken cancellationToken)
    {
        IReadOnlyList<JournalEntry> rows;
        try
        {
            // One more than a page tells whether another follows.
            rows = await session.Journal.BrowseAsync(after?.Id, pageSize + 1, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new UserInputException("This database has no journal of purges yet (tesladb.admin_journal): run tesladb-migrate up.");
        }

        return rows.Count > pageSize ? (rows.Take(pageSize).ToList(), rows[pageSize - 1]) : (rows, null);
    }

    protected override IReadOnlyList<string> Cells(JournalEntry e) =>
        [Format.Time(e.StartedAt), e.Outcome, Format.Count(e.RowsDeleted), Format.Count(e.RowsCounted), $"{e.Duration.TotalSeconds:0.0} s",
         $"{e.ScopeKind} {e.Scope}", e.DatabaseRole, $"{e.OsUser}@{e.OsHost}"];

    protected override IReadOnlyList<string> ExportCells(JournalEntry e) =>
        [.. new object[] { e.Id, Format.Iso(e.StartedAt), e.Outcome, e.RowsDeleted, e.RowsCounted, (long)e.Duration.TotalMilliseconds, e.ScopeKind, e.Scope, e.DatabaseRole, e.OsUser, e.OsHost }
            .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)];
}
