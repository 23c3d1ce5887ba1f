using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Seed operation 1 and the account life cycle, each read back with plain SQL.</summary>
public sealed class AccountsTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly TestDatabase _db = fixture.Database;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_stores_an_active_account_for_the_user()
    {
        var user = Guid.NewGuid();

        var account = await fixture.Accounts.CreateAsync(user, "Compte principal", "user@example.com", Ct);

        Assert.Equal(
            $"{user}|Compte principal|user@example.com|True",
            await _db.ScalarAsync<string>("SELECT concat_ws('|', supabase_user_id, account_name, email, CASE WHEN is_active THEN 'True' END) FROM tesla_accounts WHERE id = @id", ("id", account.Id)));
        Assert.Equal(account, await fixture.Accounts.GetAsync(account.Id, Ct));
    }

    [Fact]
    public async Task List_returns_the_users_accounts_all_or_active_only()
    {
        var user = Guid.NewGuid();
        var first = await fixture.Accounts.CreateAsync(user, "Perso", cancellationToken: Ct);
        var second = await fixture.Accounts.CreateAsync(user, "Pro", cancellationToken: Ct);
        await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Someone else's", cancellationToken: Ct);
        Assert.True(await fixture.Accounts.DeactivateAsync(second.Id, Ct));

        var all = await fixture.Accounts.ListAsync(user, cancellationToken: Ct);
        var active = await fixture.Accounts.ListAsync(user, activeOnly: true, Ct);

        Assert.Equal([first.Id, second.Id], all.Select(a => a.Id));
        Assert.Equal([first.Id], active.Select(a => a.Id));
        Assert.True(await fixture.Accounts.ReactivateAsync(second.Id, Ct));
        Assert.Equal(2, (await fixture.Accounts.ListAsync(user, activeOnly: true, Ct)).Count);
    }

    [Fact]
    public async Task Rename_changes_the_name_and_the_database_stamps_updated_at()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Old", cancellationToken: Ct);
        await _db.ExecuteAsync("ALTER TABLE tesla_accounts DISABLE TRIGGER trg_tesla_accounts_updated_at; UPDATE tesla_accounts SET updated_at = '2020-01-01Z' WHERE id = @id; ALTER TABLE tesla_accounts ENABLE TRIGGER trg_tesla_accounts_updated_at", ("id", account.Id));

        Assert.True(await fixture.Accounts.RenameAsync(account.Id, "New", Ct));
        Assert.False(await fixture.Accounts.RenameAsync(Guid.NewGuid(), "Nobody", Ct));

        var renamed = await fixture.Accounts.GetAsync(account.Id, Ct);
        Assert.Equal("New", renamed!.AccountName);
        Assert.True(renamed.UpdatedAt > new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Delete_takes_the_accounts_vehicles_cache_and_tokens_with_it()
    {
        var (account, vehicles) = await fixture.SeedAsync(2);
        await fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(80), TimeSpan.FromMinutes(5), Ct);
        await fixture.Tokens.StoreAsync(account, TeslaSamples.Token("eyJ.access", "EU.refresh"), TimeSpan.FromHours(8), Ct);

        Assert.True(await fixture.Accounts.DeleteAsync(account, Ct));

        Assert.Null(await fixture.Accounts.GetAsync(account, Ct));
        foreach (var table in new[] { "vehicles", "vehicle_data_cache", "tokens" })
        {
            Assert.Equal(0L, await _db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE tesla_account_id = @a", ("a", account)));
        }

        Assert.False(await fixture.Accounts.DeleteAsync(account, Ct));
    }

    [Fact]
    public async Task Browsing_accounts_never_sets_up_linq2db_the_first_linq2db_operation_does()
    {
        // linq2db's PostgreSQL provider costs 150–200 ms of CPU to build: a process that only browses (the console's
        // launch) must not pay for it, and one that needs it must still get it.
        await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Browse only", "browse-only@example.com", Ct);
        await using var database = TeslaDbDatabase.Create(_db.ConnectionString);
        var accounts = new TeslaDb.Access.Accounts.TeslaAccountRepository(database);

        var page = await accounts.BrowseAsync("browse-only@", cancellationToken: Ct);

        Assert.Contains(page.Items, a => a.Email == "browse-only@example.com");
        Assert.False(database.LinqToDbBuilt);
        var created = await accounts.CreateAsync(Guid.NewGuid(), "Through linq2db", cancellationToken: Ct);
        Assert.True(database.LinqToDbBuilt);
        Assert.Equal("Through linq2db", (await accounts.GetAsync(created.Id, Ct))!.AccountName);
    }
}
