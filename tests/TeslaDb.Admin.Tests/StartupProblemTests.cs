using Terminal.Gui.Input;
using TeslaDb.TestSupport;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>A database without the schema, or a server that is not there, gets a clear screen saying what to run.</summary>
public sealed class StartupProblemTests(EmptyDatabaseFixture fixture) : IClassFixture<EmptyDatabaseFixture>
{
    [Fact]
    public async Task Unmigrated_database_shows_what_to_run_instead_of_crashing()
    {
        await using var session = TeslaDb.Admin.Core.AdminSession.Open(fixture.Database.Builder, readOnly: false);
        var outcome = Run(session,
        [
            When("run tesladb-migrate up", new Key('x')),
            When("Press F5 to try again, q to quit.", new Key('q')),
        ]);
        Assert.NotNull(outcome.Fatal);
        Assert.Contains("No TeslaDb schema", outcome.Fatal.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open this database", outcome.LastScreen, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("Purge the cache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_password_shows_one_line_without_the_password()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Password = "Wr0ng-P@ss;word" };
        await using var session = TeslaDb.Admin.Core.AdminSession.Open(builder, readOnly: false);
        var outcome = Run(session,
        [
            When("password authentication failed", new Key('q')),
        ]);
        Assert.NotNull(outcome.Fatal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("Wr0ng", StringComparison.Ordinal));
    }
}
