using LinqToDB;
using TeslaDb.Access.Mapping;

namespace TeslaDb.Access.Accounts;

/// <summary>Tesla accounts (seed operation 1 and the account life cycle).</summary>
public sealed class TeslaAccountRepository(TeslaDbDatabase database)
{
    /// <summary>Creates an active account for a Supabase user (seed operation 1).</summary>
    public async Task<TeslaAccount> CreateAsync(Guid supabaseUserId, string accountName, string? email = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        await using var db = database.Open("Accounts.Create");
        var row = await db.GetTable<AccountRow>()
            .Value(a => a.SupabaseUserId, supabaseUserId)
            .Value(a => a.AccountName, accountName)
            .Value(a => a.Email, email)
            .Value(a => a.IsActive, true)
            .InsertWithOutputAsync(cancellationToken);
        return ToModel(row);
    }

    /// <summary>A user's accounts, oldest first; only the active ones when <paramref name="activeOnly"/>.</summary>
    public async Task<IReadOnlyList<TeslaAccount>> ListAsync(Guid supabaseUserId, bool activeOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(activeOnly ? "Accounts.ListActive" : "Accounts.List");
        var query = db.GetTable<AccountRow>().Where(a => a.SupabaseUserId == supabaseUserId);
        if (activeOnly)
        {
            query = query.Where(a => a.IsActive);
        }

        var rows = await query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(ToModel)];
    }

    public async Task<TeslaAccount?> GetAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open("Accounts.Get");
        var row = await db.GetTable<AccountRow>().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        return row is null ? null : ToModel(row);
    }

    /// <summary>Renames an account; false when it does not exist.</summary>
    public async Task<bool> RenameAsync(Guid accountId, string accountName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        await using var db = database.Open("Accounts.Rename");
        return await db.GetTable<AccountRow>().Where(a => a.Id == accountId)
            .Set(a => a.AccountName, accountName)
            .UpdateAsync(cancellationToken) == 1;
    }

    public Task<bool> DeactivateAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, false, "Accounts.Deactivate", cancellationToken);

    public Task<bool> ReactivateAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, true, "Accounts.Reactivate", cancellationToken);

    /// <summary>Deletes an account; its vehicles, cached responses and tokens go with it (foreign keys cascade).</summary>
    public async Task<bool> DeleteAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open("Accounts.Delete");
        return await db.GetTable<AccountRow>().Where(a => a.Id == accountId).DeleteAsync(cancellationToken) == 1;
    }

    private async Task<bool> SetActiveAsync(Guid accountId, bool active, string operation, CancellationToken cancellationToken)
    {
        await using var db = database.Open(operation);
        return await db.GetTable<AccountRow>().Where(a => a.Id == accountId)
            .Set(a => a.IsActive, active)
            .UpdateAsync(cancellationToken) == 1;
    }

    private static TeslaAccount ToModel(AccountRow r) =>
        new(r.Id, r.SupabaseUserId, r.AccountName, r.Email, r.IsActive, r.CreatedAt, r.UpdatedAt);
}
