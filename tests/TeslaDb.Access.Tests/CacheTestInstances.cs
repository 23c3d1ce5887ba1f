using Npgsql;
using TeslaDb.Access.Cache;

namespace TeslaDb.Access.Tests;

/// <summary>App instances for the cache tests: each its own data source (own pool) over the fixture's database.</summary>
internal static class CacheTestInstances
{
    public static TeslaDbDatabase Create(AccessFixture fixture, TeslaCacheOptions? options = null) =>
        // Pools kept small: CI runs test projects in parallel on one server.
        TeslaDbDatabase.Create(new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 10 }.ConnectionString, options ?? new TeslaCacheOptions());

    /// <summary>Stores a response and makes it look fetched <paramref name="age"/> ago and expired since.</summary>
    public static async Task StoreExpiredAsync(AccessFixture fixture, Guid account, Guid vehicle, string endpoint, System.Text.Json.JsonElement value, TimeSpan age)
    {
        await fixture.Cache.StoreAsync(account, vehicle, endpoint, value, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await fixture.Database.ExecuteAsync(
            "UPDATE vehicle_data_cache SET last_fetched_at = now() - @age, expires_at = now() - @age + interval '1 second' WHERE vehicle_id = @v AND endpoint_name = @e",
            ("age", age), ("v", vehicle), ("e", endpoint));
    }

    public static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    /// <summary>Polls a condition (never a fixed wait: CI machines are slow and shared).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
