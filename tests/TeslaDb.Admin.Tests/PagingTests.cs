using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>The lists page through everything once, in a stable order, forwards and back, with their filters.</summary>
public sealed class PagingTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Accounts_page_forward_over_every_row_once_in_order_and_back_to_the_same_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Guid.NewGuid();
        for (var i = 0; i < 47; i++)
        {
            await fixture.Accounts.CreateAsync(i % 3 == 0 ? user : Guid.NewGuid(), $"Paging {i}", $"paging{i}@example.com", ct);
        }

        await using var session = fixture.Session(pageSize: 10);
        var screen = new AccountsScreen(session);
        await screen.LoadFirstAsync(ct);
        var pages = new List<List<Guid>> { screen.Items.Select(a => a.Id).ToList() };
        while (await screen.NextPageAsync(ct))
        {
            pages.Add(screen.Items.Select(a => a.Id).ToList());
        }

        var seen = pages.SelectMany(p => p).ToList();
        var expected = (await AllAccountsAsync(session, ct)).Select(a => a.Id).ToList();
        Assert.True(seen.Count >= 47);
        Assert.Equal(expected, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(pages.SkipLast(1), p => Assert.Equal(10, p.Count));
        Assert.False(screen.HasNext);
        Assert.Contains("· end", screen.Position, StringComparison.Ordinal);

        // Back, page by page, to the first: each page is the one seen going forward.
        for (var page = pages.Count - 2; page >= 0; page--)
        {
            Assert.True(await screen.PreviousPageAsync(ct));
            Assert.Equal(pages[page], screen.Items.Select(a => a.Id).ToList());
        }

        Assert.False(screen.HasPrevious);
        Assert.StartsWith("rows 1–10 · page 1 · more below", screen.Position, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_written_while_paging_repeats_no_row_and_loses_none_that_was_there()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Guid.NewGuid();
        var before = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            before.Add((await fixture.Accounts.CreateAsync(user, $"Stable {i}", $"stable{i}@stable.example", ct)).Id);
        }

        await using var session = fixture.Session(pageSize: 3);
        var screen = new AccountsScreen(session);
        await screen.ApplyFilterAsync("@stable.example", ct);
        var seen = screen.Items.Select(a => a.Id).ToList();
        // Another account of the same user appears while the operator looks at page 1, wherever it sorts.
        var added = await fixture.Accounts.CreateAsync(user, "Stable new", "stable-new@stable.example", ct);
        while (await screen.NextPageAsync(ct))
        {
            seen.AddRange(screen.Items.Select(a => a.Id));
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(before.Except(seen));
        // The new row shows up exactly when it sorts after page 1's last row (keyset pages never look back), in the
        // database's own order.
        var fresh = new AccountsScreen(session);
        await fresh.ApplyFilterAsync("@stable.example", ct);
        var order = fresh.Items.Select(a => a.Id).ToList();
        while (await fresh.NextPageAsync(ct))
        {
            order.AddRange(fresh.Items.Select(a => a.Id));
        }

        Assert.Equal(7, order.Count);
        Assert.Equal(order.IndexOf(added.Id) > order.IndexOf(seen[2]), seen.Contains(added.Id));
    }

    [Fact]
    public async Task Account_filter_matches_user_id_account_id_and_email_text_literally()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Guid.NewGuid();
        var plain = await fixture.SeedAccountAsync("ops.alice@fleet.example", vehicles: 1, user: user);
        var odd = await fixture.SeedAccountAsync("a_b%c@odd.example", vehicles: 1);
        await fixture.SeedAccountAsync("aXbYc@odd.example", vehicles: 1);
        await using var session = fixture.Session();
        var screen = new AccountsScreen(session);

        await screen.ApplyFilterAsync(user.ToString().ToUpperInvariant(), ct);
        Assert.Equal([plain.Account.Id], screen.Items.Select(a => a.Id));
        await screen.ApplyFilterAsync(odd.Account.Id.ToString(), ct);
        Assert.Equal([odd.Account.Id], screen.Items.Select(a => a.Id));
        await screen.ApplyFilterAsync("ALICE@FLEET", ct);
        Assert.Equal([plain.Account.Id], screen.Items.Select(a => a.Id));
        // % and _ are not wildcards: "a_b%c" does not match aXbYc.
        await screen.ApplyFilterAsync("a_b%c", ct);
        Assert.Equal([odd.Account.Id], screen.Items.Select(a => a.Id));
        // SQL metacharacters are just text.
        await screen.ApplyFilterAsync("'; DROP TABLE tesla_accounts; --", ct);
        Assert.Equal(0, screen.Count);
        Assert.Contains("no rows match", screen.Position, StringComparison.Ordinal);
        await screen.ApplyFilterAsync("", ct);
        Assert.Null(screen.Filter);
        Assert.True(screen.Count >= 3);
        Assert.Equal(1, screen.Items.Single(a => a.Id == plain.Account.Id).VehicleCount);
    }

    [Fact]
    public async Task Vehicles_and_cached_responses_page_completely_and_filter_by_vin_and_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("fleet@vehicles.example", vehicles: 23);
        await using var session = fixture.Session(pageSize: 10);
        var vehicles = new VehiclesScreen(session, seeded.Account);
        await vehicles.LoadFirstAsync(ct);
        var vins = vehicles.Items.Select(v => v.Vin).ToList();
        while (await vehicles.NextPageAsync(ct))
        {
            vins.AddRange(vehicles.Items.Select(v => v.Vin));
        }

        Assert.Equal(seeded.Vehicles.Select(v => v.Vin).Order(StringComparer.Ordinal), vins);

        var target = seeded.Vehicles[5];
        await vehicles.ApplyFilterAsync(target.Vin[..15].ToLowerInvariant(), ct);
        Assert.Contains(target.Id, vehicles.Items.Select(v => v.Id));
        Assert.All(vehicles.Items, v => Assert.StartsWith(target.Vin[..15], v.Vin, StringComparison.Ordinal));
        var bad = await Assert.ThrowsAsync<UserInputException>(() => vehicles.ApplyFilterAsync("5YJ3'; --", ct));
        Assert.Contains("cannot start a VIN", bad.Message, StringComparison.Ordinal);
        Assert.Equal(target.Vin[..15], vehicles.Filter); // the previous filter stays

        var cache = new CacheScreen(fixture.Session(pageSize: 4), target);
        await cache.LoadFirstAsync(ct);
        var endpoints = cache.Items.Select(e => e.EndpointName).ToList();
        Assert.True(cache.HasNext);
        await cache.NextPageAsync(ct);
        endpoints.AddRange(cache.Items.Select(e => e.EndpointName));
        Assert.False(cache.HasNext);
        Assert.Equal(AdminFixture.Endpoints.Order(StringComparer.Ordinal), endpoints.Order(StringComparer.Ordinal));
        await cache.ApplyFilterAsync("Charge_State", ct);
        Assert.Equal(["charge_state"], cache.Items.Select(e => e.EndpointName));
        Assert.Equal("EXPIRED", (await FilteredRowAsync(cache, "charge_state", ct))[3]);
        Assert.Equal("fresh", (await FilteredRowAsync(cache, "climate_state", ct))[3]);
    }

    private static async Task<IReadOnlyList<string>> FilteredRowAsync(CacheScreen cache, string endpoint, CancellationToken ct)
    {
        await cache.ApplyFilterAsync(endpoint, ct);
        return cache.Row(0);
    }

    private static async Task<List<TeslaDb.Access.Accounts.AccountSummary>> AllAccountsAsync(AdminSession session, CancellationToken ct)
    {
        var page = await session.Accounts.BrowseAsync(null, null, 10_000, ct);
        return [.. page.Items];
    }
}
