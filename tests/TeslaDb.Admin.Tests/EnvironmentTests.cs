using Npgsql;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Core;
using static TeslaDb.Admin.Tests.HeadlessConsole;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace TeslaDb.Admin.Tests;

/// <summary>Which database the operator is on: label and colour in the title, local or remote detected, and a big
/// purge on a remote or production database confirmed only by typing its count.</summary>
public sealed class EnvironmentTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Theory]
    [InlineData("localhost", null, true, EnvironmentTone.Local, "local")]
    [InlineData("127.0.0.1", null, true, EnvironmentTone.Local, "local")]
    [InlineData("::1", null, true, EnvironmentTone.Local, "local")]
    [InlineData("/var/run/postgresql", null, true, EnvironmentTone.Local, "local")]
    [InlineData("db.example.com", null, false, EnvironmentTone.Remote, "remote")]
    [InlineData("10.0.0.5", "staging", false, EnvironmentTone.Remote, "STAGING · remote")]
    [InlineData("localhost,db.example.com", null, false, EnvironmentTone.Remote, "remote")]
    [InlineData("localhost:5433,127.0.0.1:5434,[::1]:5435", null, true, EnvironmentTone.Local, "local")] // a URL's host list: each with its port
    [InlineData("127.0.0.1:5432,db.example.com:5432", null, false, EnvironmentTone.Remote, "remote")]
    [InlineData("aws-0-eu-west-1.pooler.supabase.com", "production", false, EnvironmentTone.Production, "PRODUCTION · remote")]
    [InlineData("127.0.0.1", "prod-copy", true, EnvironmentTone.Production, "PROD-COPY · local")]
    public void Local_or_remote_is_read_from_the_host_and_the_label_sets_the_tone(string host, string? label, bool local, EnvironmentTone tone, string banner)
    {
        var environment = DatabaseEnvironment.Detect(new NpgsqlConnectionStringBuilder { Host = host }, label);
        Assert.Equal((local, tone, banner), (environment.IsLocal, environment.Tone, environment.Banner));
    }

    [Fact]
    public void Only_a_purge_above_the_threshold_on_a_remote_or_production_database_needs_the_count_typed()
    {
        var local = DatabaseEnvironment.Detect(new NpgsqlConnectionStringBuilder { Host = "localhost" }, null);
        var remote = DatabaseEnvironment.Detect(new NpgsqlConnectionStringBuilder { Host = "db.example.com" }, null);
        Assert.False(local.NeedsTypedCount(1_000_000, 10));
        Assert.False(remote.NeedsTypedCount(10, 10));
        Assert.True(remote.NeedsTypedCount(11, 10));
    }

    [Fact]
    public async Task The_command_line_takes_the_label_and_the_threshold_and_refuses_a_negative_one()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        DatabaseEnvironment? seen = null;
        long threshold = -1;
        var args = new[] { "--connection", fixture.Database.ConnectionString, "--env", "production", "--typed-confirm-above", "50" };
        Assert.Equal(ExitCodes.Success, await AdminCommand.RunAsync(args, output, error, s =>
        {
            (seen, threshold) = (s.Environment, s.TypedConfirmAbove);
            return null;
        }));
        Assert.Equal(("production", EnvironmentTone.Production, 50L), (seen!.Label, seen.Tone, threshold));

        Assert.Equal(ExitCodes.Usage, await AdminCommand.RunAsync(["--typed-confirm-above", "-1"], output, error, _ => throw new InvalidOperationException("must not start")));
        Assert.Contains("--typed-confirm-above must be 0 or more", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_production_labelled_database_a_big_purge_needs_the_count_typed_and_a_wrong_count_deletes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("typed@example.com", vehicles: 2);
        var scope = new CacheFilter(TeslaAccountId: seeded.Account.Id);
        await using var session = fixture.Session(environment: "production", typedConfirmAbove: 5);
        long? afterWrongCount = null;
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("typed@"), Key.Enter]),
            When("filter 'typed@'", s => s.Contains("filter 'typed@'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal), new Key('d')),
            When("Type 12 to confirm", [.. Type("11"), Key.Enter]),
            When("Purge cancelled: nothing was deleted.", s => s.Contains("Purge cancelled: nothing was deleted.", StringComparison.Ordinal), new Key('d')),
            new("count checked, then asked again", s => s.Contains("Type 12 to confirm", StringComparison.Ordinal), app =>
            {
                // Off the console's synchronization context: blocking it on an async call that resumes there never ends.
                afterWrongCount = Task.Run(() => fixture.Cache.CountAsync(scope, ct), ct).GetAwaiter().GetResult();
                foreach (var key in Type("12"))
                {
                    app.InjectKey(key);
                }

                app.InjectKey(Key.Enter);
            }),
            When("Deleted 12 cached responses", Key.Enter),
            When("the dialog closed", s => !s.Contains("┥Purged┝", StringComparison.Ordinal), new Key('q')),
        ]);

        Assert.Equal(12, afterWrongCount);
        Assert.Equal(0, await fixture.Cache.CountAsync(scope, ct));
        Assert.Contains("TeslaDb admin · PRODUCTION · local", outcome.LastScreen, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("┥Purge the cache┝", StringComparison.Ordinal)); // never the one-key dialog
    }

    [Fact]
    public async Task The_environment_badge_is_red_on_production_and_green_on_local()
    {
        await using var production = fixture.Session(environment: "production");
        await using var local = fixture.Session();
        Assert.Equal(ColorName16.Red, BadgeBackground(production, "PRODUCTION · local"));
        Assert.Equal(ColorName16.Green, BadgeBackground(local, "local"));
    }

    private static ColorName16 BadgeBackground(AdminSession session, string banner)
    {
        Attribute? badge = null;
        Run(session,
        [
            new("the badge is drawn", s => s.Split('\n').Any(l => l.Contains($" {banner} │", StringComparison.Ordinal)), app =>
            {
                var lines = (app.Driver!.ToString() ?? string.Empty).Split('\n');
                var row = Array.FindIndex(lines, l => l.Contains($" {banner} │", StringComparison.Ordinal));
                var col = lines[row].IndexOf($" {banner} │", StringComparison.Ordinal) + 1;
                badge = app.Driver.Contents![row, col].Attribute;
                app.InjectKey(new Key('q'));
            }),
        ]);
        var expected = Assert.NotNull(badge).Background;
        return Enum.GetValues<ColorName16>().Single(c => new Color(c) == expected);
    }
}
