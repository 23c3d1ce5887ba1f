using System.Text;
using LinqToDB;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access.Mapping;

namespace TeslaDb.Access.Accounts;

/// <summary>Tesla accounts (seed operation 1 and the account life cycle).</summary>
public sealed class TeslaAccountRepository(TeslaDbDatabase database)
{
    /// <summary>Creates an active account for a Supabase user (seed operation 1).</summary>
    public async Task<TeslaAccount> CreateAsync(Guid supabaseUserId, string accountName, string? email = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CreateCoreAsync(supabaseUserId, accountName, email, cancellationToken);
        }
        catch (Exception e) when (database.NoteWriteFault(e))
        {
            throw;
        }
    }

    private async Task<TeslaAccount> CreateCoreAsync(Guid supabaseUserId, string accountName, string? email = null, CancellationToken cancellationToken = default)
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
    public Task<IReadOnlyList<TeslaAccount>> ListAsync(Guid supabaseUserId, bool activeOnly = false, CancellationToken cancellationToken = default)
    {
        var operation = activeOnly ? "Accounts.ListActive" : "Accounts.List";
        return database.ReadAsync<IReadOnlyList<TeslaAccount>>(operation, ReadFrom.Primary, async (connection, ct) =>
        {
            await using var db = database.Open(operation, connection);
            var query = db.GetTable<AccountRow>().Where(a => a.SupabaseUserId == supabaseUserId);
            if (activeOnly)
            {
                query = query.Where(a => a.IsActive);
            }

            var rows = await query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
            return [.. rows.Select(ToModel)];
        }, cancellationToken);
    }

    /// <summary>One account by id (active or not); null when there is none.</summary>
    public Task<TeslaAccount?> GetAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        database.ReadAsync("Accounts.Get", ReadFrom.Primary, async (connection, ct) =>
        {
            await using var db = database.Open("Accounts.Get", connection);
            var row = await db.GetTable<AccountRow>().FirstOrDefaultAsync(a => a.Id == accountId, ct);
            return row is null ? null : ToModel(row);
        }, cancellationToken);

    /// <summary>Renames an account; false when it does not exist.</summary>
    public async Task<bool> RenameAsync(Guid accountId, string accountName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        await using var db = database.Open("Accounts.Rename");
        return await db.GetTable<AccountRow>().Where(a => a.Id == accountId)
            .Set(a => a.AccountName, accountName)
            .UpdateAsync(cancellationToken) == 1;
    }

    /// <summary>Marks an account inactive (kept with its vehicles, cache and token; lists of active accounts skip it);
    /// false when it does not exist.</summary>
    public Task<bool> DeactivateAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, false, "Accounts.Deactivate", cancellationToken);

    /// <summary>Marks an account active again; false when it does not exist.</summary>
    public Task<bool> ReactivateAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        SetActiveAsync(accountId, true, "Accounts.Reactivate", cancellationToken);

    /// <summary>Deletes an account; its vehicles, cached responses and tokens go with it (foreign keys cascade).</summary>
    public async Task<bool> DeleteAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open("Accounts.Delete");
        return await db.GetTable<AccountRow>().Where(a => a.Id == accountId).DeleteAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// A page of every user's accounts with their vehicle counts, ordered by Supabase user then account id, after
    /// <paramref name="after"/> (keyset pagination: page 10,000 costs what page 1 does). <paramref name="search"/>
    /// narrows it: a UUID matches a Supabase user id or an account id, any other text is looked for, case-insensitive,
    /// in the e-mail and the account name (taken literally: % and _ are not wildcards).
    /// </summary>
    public async Task<AccountPage> BrowseAsync(string? search = null, AccountCursor? after = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        var limit = Keyset.Limit(pageSize);
        var where = new StringBuilder("true");
        var parameters = new List<NpgsqlParameter>();
        search = search?.Trim();
        if (Guid.TryParse(search, out var id))
        {
            where.Append(" AND (a.supabase_user_id = @id OR a.id = @id)");
            parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        }
        else if (!string.IsNullOrEmpty(search))
        {
            where.Append(@" AND (a.email ILIKE @pattern OR a.account_name ILIKE @pattern)");
            parameters.Add(new NpgsqlParameter("pattern", NpgsqlDbType.Text) { Value = "%" + EscapeLike(search) + "%" });
        }

        if (after is not null)
        {
            where.Append(" AND (a.supabase_user_id, a.id) > (@after_user, @after_id)");
            parameters.Add(new NpgsqlParameter("after_user", NpgsqlDbType.Uuid) { Value = after.SupabaseUserId });
            parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }

        // The vehicle count is a subquery per row of the page (idx_vehicles_tesla_account_id), not a join that
        // would count every account's vehicles before the LIMIT.
        var items = await database.ReadAsync("Accounts.Browse", ReadFrom.Replica, async (connection, ct) =>
        {
            await using var command = database.Command(
                "Accounts.Browse",
                $"""
                SELECT a.id, a.supabase_user_id, a.account_name, a.email, a.is_active, a.created_at,
                       (SELECT count(*) FROM public.vehicles v WHERE v.tesla_account_id = a.id)
                  FROM public.tesla_accounts a
                 WHERE {where}
                 ORDER BY a.supabase_user_id, a.id
                 LIMIT @limit
                """,
                connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(limit.Clone());
            var rows = new List<AccountSummary>(pageSize + 1);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new AccountSummary(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6)));
            }

            return rows;
        }, cancellationToken);

        var more = Keyset.HasMore(items, pageSize);
        return new AccountPage(items, more ? items[^1].Cursor : null);
    }

    internal static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

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
