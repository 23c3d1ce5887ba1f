using Npgsql;
using Terminal.Gui.Input;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Core;
using TeslaDb.TestSupport;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>tesladb-admin's command line: one line on stderr and a documented exit code for each mistake, the
/// console's startup problem mapped to its exit code, never a password printed.</summary>
public sealed class CommandLineTests(EmptyDatabaseFixture fixture) : IClassFixture<EmptyDatabaseFixture>
{
    private const string Password = "s3cr3t-P@ss;word";

    [Theory]
    [InlineData("--bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("--page-size 5", "--page-size must be between 10 and 1000 (got 5)")]
    [InlineData("--watch-interval 0.1", "--watch-interval must be between 0.5 and 3600 seconds (got 0.1)")]
    [InlineData("--connection postgresql://u:s3cr3t-P%40ss%3Bword@host:notaport/db", "--connection: The connection URL is malformed")]
    // A connection where the parser expected something else is quoted back as an unplaced argument: hidden.
    [InlineData("--page-size postgresql://u:s3cr3t@host/db", "<connection string hidden>")]
    [InlineData("--env prod Host=h;Password=s3cr3t", "Unrecognized command or argument '<connection string hidden>'")]
    public async Task A_mistake_gets_exit_2_and_one_line_without_the_password(string args, string expected)
    {
        var (code, output, error) = await RunAsync(args.Split(' '), _ => throw new InvalidOperationException("the console must not start"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("tesladb-admin: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_options_and_the_exit_codes()
    {
        var (code, output, _) = await RunAsync(["--help"], _ => throw new InvalidOperationException("the console must not start"));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("--read-only", output, StringComparison.Ordinal);
        Assert.Contains("--watch-interval", output, StringComparison.Ordinal);
        Assert.Contains("4 no TeslaDb schema", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_gives_exit_3_after_the_console_said_so()
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Port = ClosedPort.Next(), Password = Password };
        var (code, _, error) = await RunAsync(["--connection", builder.ConnectionString], session =>
            Run(session, [When("Cannot connect", new Key('q'))]).Fatal);
        Assert.Equal(ExitCodes.CannotConnect, code);
        Assert.Contains("nothing accepts connections", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
    }

    // The screen wraps the message: at 80 columns its advice, at the end, was cut off.
    [Fact]
    public async Task At_80_columns_the_connection_problem_shows_whole_with_what_to_do()
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { Port = ClosedPort.Next(), Password = Password };
        var (code, _, _) = await RunAsync(["--connection", builder.ConnectionString], session =>
            Run(session, [When("the advice at the message's end", s => s.Contains("Cannot connect", StringComparison.Ordinal) && s.Contains("that PostgreSQL is running.", StringComparison.Ordinal), new Key('q'))], width: 80, height: 24).Fatal);
        Assert.Equal(ExitCodes.CannotConnect, code);
    }

    [Fact]
    public async Task A_database_without_the_schema_gives_exit_4_and_says_to_migrate()
    {
        var (code, _, error) = await RunAsync(["--connection", fixture.Database.ConnectionString], session =>
            Run(session, [When("run tesladb-migrate up", new Key('q'))]).Fatal);
        Assert.Equal(ExitCodes.NotMigrated, code);
        Assert.Contains("run tesladb-migrate up", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watch_interval_reaches_the_session()
    {
        TimeSpan? seen = null;
        var (code, _, _) = await RunAsync(["--connection", fixture.Database.ConnectionString, "--watch-interval", "5"], session =>
        {
            seen = session.WatchInterval;
            return null;
        });
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(TimeSpan.FromSeconds(5), seen);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Func<AdminSession, Problem?> console)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(args, output, error, console);
        return (code, output.ToString(), error.ToString());
    }
}
