using TeslaDb.Access.Accounts;

namespace TeslaDb.Admin.Core;

/// <summary>Every user's Tesla accounts with their vehicle counts; Enter opens an account's vehicles.</summary>
public sealed class AccountsScreen(AdminSession session) : ListScreen<AccountSummary, AccountCursor>(session.PageSize)
{
    public override string Title => "Accounts";

    public override IReadOnlyList<string> Columns { get; } = ["User id", "Account", "E-mail", "Active", "Vehicles"];

    public override IReadOnlyList<int> NameColumns { get; } = [1];

    public override IReadOnlyList<string> ExportColumns { get; } = ["id", "supabase_user_id", "account_name", "email", "is_active", "created_at", "vehicles"];

    public override string FilterPrompt => "User id, account id, or part of an e-mail or account name:";

    public override async Task<Screen?> OpenAsync(int index, CancellationToken cancellationToken)
    {
        var vehicles = new VehiclesScreen(session, Items[index]);
        await vehicles.LoadFirstAsync(cancellationToken);
        return vehicles;
    }

    public override PurgeScope? PurgeScopeOf(int index) => new PurgeScope.Account(Items[index]);

    /// <summary>The account's token, masked: key, expiry, and whether an access and a refresh token exist.</summary>
    public override async Task<string?> DetailAsync(int index, CancellationToken cancellationToken)
    {
        var account = Items[index];
        var token = await session.Tokens.DescribeForAccountAsync(account.Id, cancellationToken);
        return TokenText.Describe(token);
    }

    protected override async Task<(IReadOnlyList<AccountSummary> Items, AccountCursor? Next)> FetchAsync(AccountCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        var page = await session.Accounts.BrowseAsync(Filter, after, pageSize, cancellationToken);
        return (page.Items, page.Next);
    }

    protected override IReadOnlyList<string> Cells(AccountSummary a) =>
        [a.SupabaseUserId.ToString(), a.AccountName, a.Email ?? "—", a.IsActive ? "yes" : "no", Format.Count(a.VehicleCount)];

    /// <summary>No token here: an account row never carries one (its masked description is the detail line only).</summary>
    protected override IReadOnlyList<string> ExportCells(AccountSummary a) =>
        [a.Id.ToString(), a.SupabaseUserId.ToString(), a.AccountName, a.Email ?? string.Empty, a.IsActive ? "true" : "false", Format.Iso(a.CreatedAt),
         a.VehicleCount.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
