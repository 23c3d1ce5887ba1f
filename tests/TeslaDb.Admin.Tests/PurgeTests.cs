using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>Each purge counts what it will delete, deletes exactly that, and never a token, an account or a vehicle.</summary>
public sealed class PurgeTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Vehicle_account_endpoint_and_entry_purges_delete_what_they_counted_and_nothing_else()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await fixture.SeedAccountAsync("purge-a@example.com", vehicles: 3);
        var b = await fixture.SeedAccountAsync("purge-b@example.com", vehicles: 2);
        await using var session = fixture.Session();
        var purges = new CachePurges(session);
        var before = await CountsAsync(ct);

        var vehicle = await purges.VehicleAsync(a.Vehicles[0], ct);
        Assert.Equal(6, vehicle.Count);
        Assert.Contains(a.Vehicles[0].Vin, vehicle.What, StringComparison.Ordinal);
        var reported = new List<long>();
        Assert.Equal(6, await vehicle.ExecuteAsync(new SyncProgress(reported), ct));
        Assert.Equal(6, reported.Last());
        Assert.Equal(0, await fixture.Cache.CountAsync(new CacheFilter(VehicleId: a.Vehicles[0].Id), ct));

        var account = await purges.AccountAsync(b.Account, ct);
        Assert.Equal(12, account.Count);
        Assert.Equal(12, await account.ExecuteAsync(null, ct));

        var entries = await fixture.Cache.BrowseAsync(new CacheFilter(VehicleId: a.Vehicles[1].Id), cancellationToken: ct);
        var entry = await purges.EntryAsync(entries.Items[0].Id, entries.Items[0].EndpointName, ct);
        Assert.Equal(1, entry.Count);
        Assert.Equal(1, await entry.ExecuteAsync(null, ct));
        Assert.Null(await fixture.Cache.GetAsync(entries.Items[0].Id, ct));
        var again = await purges.EntryAsync(entries.Items[0].Id, entries.Items[0].EndpointName, ct);
        Assert.Equal(0, again.Count);
        Assert.StartsWith("Nothing to delete", again.Question, StringComparison.Ordinal);

        var gui = await purges.EndpointAsync("gui_settings", ct);
        var guiRows = await fixture.Cache.CountAsync(new CacheFilter(EndpointName: "gui_settings"), ct);
        Assert.Equal(guiRows, gui.Count);
        Assert.Equal(guiRows, await gui.ExecuteAsync(null, ct));
        Assert.Equal(0, await fixture.Cache.CountAsync(new CacheFilter(EndpointName: "gui_settings"), ct));

        var after = await CountsAsync(ct);
        Assert.Equal(before.Accounts, after.Accounts);
        Assert.Equal(before.Vehicles, after.Vehicles);
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.Equal(before.Cache - 6 - 12 - 1 - guiRows, after.Cache);
    }

    [Fact]
    public async Task Batched_purge_of_more_than_a_batch_reports_progress_batch_by_batch_and_deletes_all()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("batches@example.com", vehicles: 3);
        var reported = new List<long>();
        var deleted = await fixture.Cache.PurgeInBatchesAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), new SyncProgress(reported), batchSize: 5, ct);
        Assert.Equal(18, deleted);
        Assert.Equal([5L, 10, 15, 18], reported);
        Assert.Equal(0, await fixture.Cache.CountAsync(new CacheFilter(TeslaAccountId: seeded.Account.Id), ct));
    }

    [Fact]
    public async Task Read_only_session_gets_no_plan_and_postgres_itself_refuses_its_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("readonly@example.com", vehicles: 1);
        await using var session = fixture.Session(readOnly: true);
        var purges = new CachePurges(session);
        var refused = await Assert.ThrowsAsync<UserInputException>(() => purges.VehicleAsync(seeded.Vehicles[0], ct));
        Assert.Equal(AdminSession.ReadOnlyMessage, refused.Message);
        await Assert.ThrowsAsync<UserInputException>(() => purges.ExpiredEverywhereAsync(ct));

        // Even a write that skipped the check (a bug) is refused by the server: every transaction is read-only.
        var server = await Assert.ThrowsAsync<PostgresException>(() => session.Cache.PurgeVehicleAsync(seeded.Vehicles[0].Id, ct));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, server.SqlState);
        Assert.Contains("read-only", Problem.From(server, session.Target, startingUp: false).Message, StringComparison.Ordinal);
        Assert.Equal(6, await fixture.Cache.CountAsync(new CacheFilter(VehicleId: seeded.Vehicles[0].Id), ct));

        // Reading works.
        var accounts = new AccountsScreen(session);
        await accounts.ApplyFilterAsync(seeded.Account.Id.ToString(), ct);
        Assert.Equal(1, accounts.Count);
    }

    private async Task<(long Accounts, long Vehicles, long Tokens, long Cache)> CountsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM tesla_accounts), (SELECT count(*) FROM vehicles), (SELECT count(*) FROM tokens), (SELECT count(*) FROM vehicle_data_cache)", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
