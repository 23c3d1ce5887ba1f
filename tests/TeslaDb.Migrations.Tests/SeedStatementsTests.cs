using Npgsql;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Every SQL statement of the seed runs unchanged on a migrated database and does what the seed says.</summary>
public sealed class SeedStatementsTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private readonly TestDatabase _db = fixture.Database;

    private static string Fill(string sql, Guid user, Guid? account = null, Guid? vehicle = null, string vehicleJson = "", string cacheJson = "") =>
        sql.Replace("user-uuid-from-supabase", user.ToString(), StringComparison.Ordinal)
            .Replace("'user-uuid'", $"'{user}'", StringComparison.Ordinal)
            .Replace("account-uuid", account?.ToString() ?? string.Empty, StringComparison.Ordinal)
            .Replace("vehicle-uuid", vehicle?.ToString() ?? string.Empty, StringComparison.Ordinal)
            .Replace("""{"id": 1492932226450100, ...}""", vehicleJson, StringComparison.Ordinal)
            .Replace("""{"battery_level": 80, ...}""", cacheJson, StringComparison.Ordinal);

    private async Task<List<Dictionary<string, object?>>> QueryAsync(string sql)
    {
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }

    private async Task<(Guid User, Guid Account)> CreateAccountAsync()
    {
        var user = Guid.NewGuid();
        await _db.ExecuteAsync(Fill(SeedStatements.CreateAccount, user));
        var accounts = await QueryAsync(Fill(SeedStatements.ListAccounts, user));
        var account = Assert.Single(accounts);
        return (user, (Guid)account["id"]!);
    }

    [Fact]
    public async Task Create_account_then_list_returns_it_with_defaults()
    {
        var user = Guid.NewGuid();
        await _db.ExecuteAsync(Fill(SeedStatements.CreateAccount, user));

        var account = Assert.Single(await QueryAsync(Fill(SeedStatements.ListAccounts, user)));
        Assert.Equal("Compte principal", account["account_name"]);
        Assert.Equal("user@example.com", account["email"]);
        Assert.Equal(true, account["is_active"]);
        Assert.NotEqual(Guid.Empty, account["id"]);
        Assert.IsType<DateTime>(account["created_at"]);
    }

    [Fact]
    public async Task Vehicle_upsert_inserts_then_updates_in_place()
    {
        var (user, account) = await CreateAccountAsync();
        await _db.ExecuteAsync(Fill(SeedStatements.UpsertVehicle, user, account, vehicleJson: """{"id": 1492932226450100, "state": "online"}"""));
        var first = Assert.Single(await QueryAsync(Fill(SeedStatements.VehiclesOfAccount, user, account)));

        await Task.Delay(20, TestContext.Current.CancellationToken);
        await _db.ExecuteAsync(Fill(SeedStatements.UpsertVehicle, user, account, vehicleJson: """{"id": 1492932226450100, "state": "asleep"}"""));
        var second = Assert.Single(await QueryAsync(Fill(SeedStatements.VehiclesOfAccount, user, account)));

        Assert.Equal(first["id"], second["id"]);
        Assert.Equal(1492932226450100L, second["tesla_id"]);
        Assert.Equal(999823797L, second["tesla_vehicle_id"]);
        Assert.Contains("asleep", (string)second["vehicle_data"]!, StringComparison.Ordinal);
        Assert.True((DateTime)second["last_synced_at"]! > (DateTime)first["last_synced_at"]!);
        Assert.True((DateTime)second["updated_at"]! > (DateTime)first["updated_at"]!);
        Assert.Equal(first["created_at"], second["created_at"]);

        var byVin = await QueryAsync(Fill(SeedStatements.VehicleByVin, user, account));
        Assert.Contains(byVin, v => (Guid)v["id"]! == (Guid)second["id"]!);
    }

    [Fact]
    public async Task Cache_upsert_updates_in_place_and_fresh_query_hides_expired_rows()
    {
        var (user, account) = await CreateAccountAsync();
        await _db.ExecuteAsync(Fill(SeedStatements.UpsertVehicle, user, account, vehicleJson: """{"id": 1492932226450100}"""));
        var vehicle = (Guid)Assert.Single(await QueryAsync(Fill(SeedStatements.VehiclesOfAccount, user, account)))["id"]!;

        await _db.ExecuteAsync(Fill(SeedStatements.StoreEndpointResponse, user, account, vehicle, cacheJson: """{"battery_level": 80}"""));
        await _db.ExecuteAsync(Fill(SeedStatements.StoreEndpointResponse, user, account, vehicle, cacheJson: """{"battery_level": 81}"""));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicle)));

        var fresh = Assert.Single(await QueryAsync(Fill(SeedStatements.FreshCache, user, account, vehicle)));
        Assert.Contains("81", (string)fresh["response_data"]!, StringComparison.Ordinal);

        await _db.ExecuteAsync("UPDATE vehicle_data_cache SET expires_at = now() - interval '1 second' WHERE vehicle_id = @v", ("v", vehicle));
        Assert.Empty(await QueryAsync(Fill(SeedStatements.FreshCache, user, account, vehicle)));

        await _db.ExecuteAsync("UPDATE vehicle_data_cache SET expires_at = NULL WHERE vehicle_id = @v", ("v", vehicle));
        Assert.Single(await QueryAsync(Fill(SeedStatements.FreshCache, user, account, vehicle)));
    }

    [Fact]
    public async Task Cleanup_statement_runs_and_returns_a_count()
    {
        var deleted = Assert.Single(await QueryAsync(SeedStatements.Cleanup))["cleanup_expired_cache"];
        Assert.IsType<int>(deleted);
        Assert.True((int)deleted! >= 0);
    }
}
