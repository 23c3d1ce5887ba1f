using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>Every order of every sortable list pages through all its rows once, in order, ties broken by the id.</summary>
public sealed class SortingTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task A_vehicles_responses_page_completely_without_repeats_in_every_order_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        // 6 endpoints: 2 expired, 4 with the same expiry (one statement, one now()): ties on every column but size.
        var seeded = await fixture.SeedAccountAsync("sort-cache@example.com", vehicles: 1, expiredPerVehicle: 2);
        await using var session = fixture.Session(pageSize: 2);
        var screen = new CacheScreen(session, seeded.Vehicles[0]);
        await screen.LoadFirstAsync(ct);
        var natural = (await AllAsync(screen, ct)).Select(e => e.Id).ToList();
        Assert.Equal(6, natural.Count);

        for (var column = 0; column < screen.SortColumns.Count; column++)
        {
            foreach (var descending in new[] { false, true })
            {
                await screen.SortAsync(column, descending, ct);
                var rows = await AllAsync(screen, ct);
                var label = $"{screen.SortColumns[column]} {(descending ? "desc" : "asc")}";
                Assert.True(rows.Count == 6, $"{label}: {rows.Count} rows");
                Assert.True(rows.Select(r => r.Id).Distinct().Count() == 6, $"{label}: a row repeated");
                Assert.Equal(natural.Order(), rows.Select(r => r.Id).Order());
                Func<CacheEntry, IComparable> key = column switch
                {
                    1 => e => e.ExpiresAt ?? DateTimeOffset.MaxValue,
                    2 => e => e.LastFetchedAt,
                    3 => e => e.SizeBytes,
                    _ => e => 0,
                };
                var keys = rows.Select(key).ToList();
                var sorted = descending ? keys.OrderDescending().ToList() : keys.Order().ToList();
                Assert.True(sorted.SequenceEqual(keys), $"{label}: out of order");
            }
        }

        // The id order, reversed, is the natural order backwards (ties cannot happen on the key itself).
        await screen.SortAsync(0, descending: true, ct);
        Assert.Equal(natural.AsEnumerable().Reverse(), (await AllAsync(screen, ct)).Select(e => e.Id));
        Assert.Contains("sorted by id ↓", screen.Position, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accounts_vehicles_by_last_synced_page_completely_when_every_row_ties()
    {
        var ct = TestContext.Current.CancellationToken;
        // One upsert: every vehicle has the same last_synced_at, so the order is decided by the id alone.
        var seeded = await fixture.SeedAccountAsync("sort-vehicles@example.com", vehicles: 7, expiredPerVehicle: 0);
        await using var session = fixture.Session(pageSize: 2);
        var screen = new VehiclesScreen(session, seeded.Account);
        await screen.LoadFirstAsync(ct);
        foreach (var descending in new[] { false, true })
        {
            await screen.SortAsync(1, descending, ct);
            var rows = await AllAsync(screen, ct);
            Assert.Equal(7, rows.Count);
            Assert.Equal(7, rows.Select(v => v.Id).Distinct().Count());
            var keys = rows.Select(v => v.LastSyncedAt).ToList();
            Assert.Equal(descending ? keys.OrderDescending() : keys.Order(), keys);
            Assert.Contains($"sorted by last synced {(descending ? "↓" : "↑")}", screen.Position, StringComparison.Ordinal);
        }

        // Both directions hold the same rows, one the reverse of the other (ties broken by the id both ways).
        await screen.SortAsync(1, false, ct);
        var up = (await AllAsync(screen, ct)).Select(v => v.Id).ToList();
        await screen.SortAsync(1, true, ct);
        var down = (await AllAsync(screen, ct)).Select(v => v.Id).ToList();
        Assert.Equal(up.AsEnumerable().Reverse(), down);

        // A VIN filter still applies in another order.
        await screen.ApplyFilterAsync(seeded.Vehicles[3].Vin, ct);
        Assert.Equal(seeded.Vehicles[3].Id, Assert.Single(screen.Items).Id);
    }

    [Fact]
    public async Task A_list_by_vin_refuses_another_order_and_keeps_its_own()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.SeedAccountAsync("sort-vin@example.com", vehicles: 1);
        await using var session = fixture.Session(pageSize: 2);
        var screen = await VehiclesScreen.WithVinAsync(session, "5YJ", ct);
        var refusal = await Assert.ThrowsAsync<UserInputException>(() => screen.SortByNextColumnAsync(ct));
        Assert.Contains("VIN order", refusal.Message, StringComparison.Ordinal);
        Assert.Null(screen.SortText);
    }

    /// <summary>From the first page to the last, through the screen's own paging.</summary>
    private static async Task<List<T>> AllAsync<T>(ListScreen<T, T> screen, CancellationToken ct)
        where T : class
    {
        await screen.LoadFirstAsync(ct);
        var rows = new List<T>(screen.Items);
        while (await screen.NextPageAsync(ct))
        {
            Assert.True(screen.Items.Count <= screen.PageSize);
            rows.AddRange(screen.Items);
        }

        return rows;
    }
}
