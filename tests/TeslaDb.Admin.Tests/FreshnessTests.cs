using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>The freshness of one vehicle: a lane per endpoint from fetch to expiry, now marked, state and token beside it.</summary>
public sealed class FreshnessTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lanes_share_one_axis_and_say_fresh_expiring_expired_or_never()
    {
        CacheEntry Entry(string endpoint, int fetchedMinutesAgo, int? expiresInMinutes) => new(
            Guid.NewGuid(), Guid.Empty, Guid.Empty, endpoint, expiresInMinutes is null ? null : Now.AddMinutes(expiresInMinutes.Value), Now.AddMinutes(-fetchedMinutesAgo), true, 100);

        var lanes = FreshnessReport.LanesOf(
        [
            Entry("charge_state", fetchedMinutesAgo: 10, expiresInMinutes: 50),
            Entry("climate_state", fetchedMinutesAgo: 55, expiresInMinutes: 5),
            Entry("drive_state", fetchedMinutesAgo: 60, expiresInMinutes: -30),
            Entry("vehicle_config", fetchedMinutesAgo: 60, expiresInMinutes: null),
        ], Now);

        Assert.Equal(["fresh", "expiring soon", "EXPIRED", "never expires"], lanes.Select(l => l.StateText));
        Assert.All(lanes, l => Assert.Equal(FreshnessReport.Width, l.Bar.Length));
        var now = lanes[0].Bar.IndexOf('│', StringComparison.Ordinal);
        Assert.All(lanes, l => Assert.Equal(now, l.Bar.IndexOf('│', StringComparison.Ordinal))); // one "now" column for all
        Assert.True(lanes[2].Bar.LastIndexOf('━') < now, "an expired lane ends before now");
        Assert.True(lanes[0].Bar.LastIndexOf('━') > now, "a fresh lane goes on after now");
        Assert.True(lanes[2].Bar.IndexOf('━', StringComparison.Ordinal) < lanes[0].Bar.IndexOf('━', StringComparison.Ordinal), "fetched earlier starts further left");
    }

    [Fact]
    public async Task A_seeded_vehicle_shows_its_six_endpoints_the_expired_one_flagged_a_fresh_one_in_green_and_its_token_masked()
    {
        var seeded = await fixture.SeedAccountAsync("fresh-ui@example.com", vehicles: 1, expiredPerVehicle: 1);
        var vin = seeded.Vehicles[0].Vin;
        await using var session = fixture.Session();
        var report = await FreshnessReport.LoadAsync(session, seeded.Vehicles[0], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        Assert.Equal(AdminFixture.Endpoints.Order(StringComparer.Ordinal), report.Lanes.Select(l => l.Endpoint));
        Assert.Equal(FreshnessState.Expired, Assert.Single(report.Lanes, l => l.Endpoint == "charge_state").State);
        Assert.Contains("values hidden", report.Token, StringComparison.Ordinal);

        Terminal.Gui.Drawing.Attribute? expiredCell = null;
        var outcome = Run(session,
        [
            When("rows 1–", new Key('g')),
            When("Go to a vehicle", [.. Type(vin), Key.Enter]),
            When($"› {vin}", s => s.Contains($"› {vin}   (rows 1–6", StringComparison.Ordinal), new Key('f')),
            new($"Freshness of {vin}", s => s.Contains($"Freshness of {vin}", StringComparison.Ordinal) && s.Contains("EXPIRED", StringComparison.Ordinal), app =>
            {
                var lines = (app.Driver!.ToString() ?? string.Empty).Split('\n');
                // The last lane (vehicle_state, fresh): not the selected row, whose highlight would hide its colour.
                var row = Array.FindLastIndex(lines, l => l.Contains("vehicle_state", StringComparison.Ordinal) && l.Contains("fresh", StringComparison.Ordinal));
                expiredCell = app.Driver.Contents![row, lines[row].IndexOf("fresh", StringComparison.Ordinal)].Attribute;
                app.InjectKey(Key.Esc);
            }),
            When("freshness closed", s => !s.Contains("Freshness of", StringComparison.Ordinal), new Key('q')),
        ], width: 160, height: 36);

        var screen = outcome.Screens.Last(s => s.Contains($"Freshness of {vin}", StringComparison.Ordinal));
        Assert.Contains("values hidden", screen, StringComparison.Ordinal);
        Assert.Contains("fresh", screen, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("SECRET", StringComparison.Ordinal));
        Assert.Equal(new Terminal.Gui.Drawing.Color(Terminal.Gui.Drawing.ColorName16.Green), Assert.NotNull(expiredCell).Background);
    }

    [Fact]
    public async Task A_token_tesla_refused_leads_the_freshness_token_line()
    {
        var seeded = await fixture.SeedAccountAsync("fresh-relogin@example.com", vehicles: 1);
        await fixture.Database.ExecuteAsync("UPDATE tokens SET login_required_at = now() WHERE tesla_account_id = @a", ("a", seeded.Account.Id));
        await using var session = fixture.Session();

        var report = await FreshnessReport.LoadAsync(session, seeded.Vehicles[0], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        var lines = report.Token.Split('\n');
        Assert.StartsWith("LOGIN REQUIRED since ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Token ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("values hidden", lines[1], StringComparison.Ordinal);
    }
}
