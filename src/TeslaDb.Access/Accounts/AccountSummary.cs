namespace TeslaDb.Access.Accounts;

/// <summary>An account as an operator lists it: with how many vehicles it holds.</summary>
public sealed record AccountSummary(
    Guid Id, Guid SupabaseUserId, string AccountName, string? Email, bool IsActive, DateTimeOffset CreatedAt, long VehicleCount)
{
    /// <summary>Where the page after this row starts.</summary>
    public AccountCursor Cursor => new(SupabaseUserId, Id);
}

/// <summary>A position in the account list, which is ordered by Supabase user, then account id (a user's accounts
/// stay together).</summary>
public sealed record AccountCursor(Guid SupabaseUserId, Guid Id);

/// <summary>A page of accounts; <see cref="Next"/> is null on the last page.</summary>
public sealed record AccountPage(IReadOnlyList<AccountSummary> Items, AccountCursor? Next);
