using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Tests;

/// <summary>Payloads PostgreSQL rejects at bind (NUL, lone surrogates, over jsonb's size) are refused before any SQL,
/// and a refused payload never breaks the next command on the same pooled, auto-prepared connection.</summary>
public sealed class PayloadValidationTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"name": "a\u0000b"}""", "\\u0000 (NUL)")]
    [InlineData("""{"a\u0000": 1}""", "\\u0000 (NUL)")]
    [InlineData("""{"name": "\ud800"}""", "high surrogate")]
    [InlineData("""{"name": "\ud800x"}""", "high surrogate")]
    [InlineData("""{"name": "\ud800\n"}""", "high surrogate")]
    [InlineData("""["\udc00"]""", "low surrogate")]
    [InlineData("""{"name": "\ud83d\ud83d\ude97"}""", "high surrogate")]
    public async Task Payloads_postgresql_rejects_are_refused_before_any_sql(string json, string problem)
    {
        var (account, vehicles) = await fixture.SeedAsync();
        var commands = 0;
        fixture.Access.CommandObserver = (_, _) => Interlocked.Increment(ref commands);
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.Parse(json), null, Ct));

            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Equal("response", error.ParamName);
            Assert.Equal(0, commands);
        }
        finally
        {
            fixture.Access.CommandObserver = null;
        }
    }

    [Theory]
    [InlineData("""{"car": "\ud83d\ude97"}""")]
    [InlineData("""{"path": "C:\\u0000"}""")]
    [InlineData("""{"quote": "\"\\\ud83d\ude97"}""")]
    [InlineData("""{"plain": "Ma Tesla 🚗"}""")]
    public async Task Payloads_postgresql_accepts_are_stored(string json)
    {
        var (account, vehicles) = await fixture.SeedAsync();

        await fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.Parse(json), null, Ct);

        Assert.NotNull(await fixture.Cache.GetFreshAsync(vehicles[0], "charge_state", Ct));
    }

    [Fact]
    public void A_payload_over_the_size_limit_is_refused()
    {
        var payload = TeslaSamples.Parse("""{"blob": "0123456789"}""");

        var error = Assert.Throws<ArgumentException>(() => TeslaDbValidation.Payload(payload, "response", 20));

        Assert.Contains("larger than jsonb's limit of 20 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(payload.GetRawText(), TeslaDbValidation.Payload(payload, "response", 30).GetRawText());
        Assert.Equal((1 << 28) - 1, TeslaDbValidation.MaxPayloadBytes);
    }

    [Fact]
    public async Task A_refused_payload_does_not_break_the_next_command_on_the_same_prepared_connection()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        // One connection, auto-prepare after two uses: the trap of docs/reliability.md needs exactly this.
        var builder = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1, MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 };
        await using var single = TeslaDbDatabase.Create(builder.ConnectionString);
        var cache = new VehicleCacheRepository(single);
        await cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(10), null, Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.Parse("""{"bad": "\u0000"}"""), null, Ct));
        await cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(11), null, Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "drive_state"), _ => Task.FromResult(TeslaSamples.Parse("""{"bad": "\ud800"}""")), Ct));
        await cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.ChargeState(12), null, Ct);

        Assert.Equal(12, (await cache.GetFreshAsync(vehicles[0], "charge_state", Ct))!.Value.GetProperty("battery_level").GetInt32());
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = 'drive_state'", ("v", vehicles[0])));
    }
}
