using TeslaDb.Access.Validation;

namespace TeslaDb.Access.Tests;

/// <summary>Bad input is refused with an ArgumentException before any SQL runs.</summary>
public sealed class ValidationTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Theory]
    [InlineData("5YJ3E1EA1PF000123")]
    [InlineData("7SAYGDEE3RF000456")]
    [InlineData("LRWYGCEK2NC123456")]
    [InlineData("XP7YGCEK5RB012345")]
    [InlineData("5YJ3E7EB8LF677109")] // the seed's own VIN: its check digit is wrong, Tesla uses such VINs
    public void Tesla_vins_pass(string vin) => Assert.Equal(vin, TeslaDbValidation.Vin(vin));

    [Theory]
    [InlineData("5YJ3E1EA1PF00012")]
    [InlineData("5YJ3E1EA1PF0001234")]
    [InlineData("5yj3e1ea1pf000123")]
    [InlineData("5YJ3E1EA1PF00O123")]
    [InlineData("5YJ3E1EI1PF000123")]
    [InlineData("5YJ3E1EQ1PF000123")]
    [InlineData("5YJ3E1EA1PF 00123")]
    [InlineData("")]
    public async Task Bad_vins_are_refused_before_any_sql(string vin)
    {
        var commands = 0;
        fixture.Access.CommandObserver = (_, _) => Interlocked.Increment(ref commands);
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Vehicles.FindByVinAsync(vin, TestContext.Current.CancellationToken));
            Assert.Contains("17 characters, digits and capital letters except I, O and Q", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, commands);
        }
        finally
        {
            fixture.Access.CommandObserver = null;
        }
    }

    [Theory]
    [InlineData("charge_state", true)]
    [InlineData("vehicle_config", true)]
    [InlineData("Charge_State", false)]
    [InlineData("charge-state", false)]
    [InlineData("charge_state; DROP TABLE tokens", false)]
    [InlineData("", false)]
    public void Endpoint_names_are_lower_case_identifiers(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, TeslaDbValidation.Endpoint(name));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => TeslaDbValidation.Endpoint(name));
        }
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Payloads_must_be_objects_or_arrays(string json)
    {
        var (account, vehicles) = await fixture.SeedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.Parse(json), null, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Cache.StoreAsync(account, vehicles[0], "charge_state", TeslaSamples.Parse("{}"), TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])));
    }
}
