using TeslaDb.Admin.Cli;
using TeslaDb.TestSupport;

namespace TeslaDb.Admin.Tests;

/// <summary>The launch order (issue 12): the terminal starts while the session opens, only once the command line is
/// valid, and is closed before anything is printed, so a problem's one line never lands on the alternate screen.</summary>
public sealed class StartupOrderTests(EmptyDatabaseFixture fixture) : IClassFixture<EmptyDatabaseFixture>
{
    [Fact]
    public async Task A_usage_error_never_starts_the_terminal()
    {
        var started = false;
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(["--page-size", "5"], TextWriter.Null, error,
            () =>
            {
                started = true;
                return new RecordingTerminal(error);
            },
            (_, _) => throw new InvalidOperationException("the console must not start"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.False(started);
    }

    [Fact]
    public async Task A_console_failure_is_printed_after_the_terminal_closed_in_one_line()
    {
        using var error = new StringWriter();
        var terminal = default(RecordingTerminal);
        var code = await AdminCommand.RunAsync(["--connection", fixture.Database.ConnectionString], TextWriter.Null, error,
            () => terminal = new RecordingTerminal(error),
            (_, session) => throw new InvalidOperationException($"broken console on {session.Database.Description}"));
        Assert.Equal(ExitCodes.Unexpected, code);
        Assert.NotNull(terminal);
        Assert.Equal(string.Empty, terminal.ErrorWhenDisposed);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("tesladb-admin: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_that_cannot_start_ends_in_one_line_and_no_console()
    {
        using var error = new StringWriter();
        var ran = false;
        var code = await AdminCommand.RunAsync<RecordingTerminal>(["--connection", fixture.Database.ConnectionString], TextWriter.Null, error,
            () => throw new IOException("no terminal here"),
            (_, _) =>
            {
                ran = true;
                return null;
            });
        Assert.Equal(ExitCodes.Unexpected, code);
        Assert.False(ran);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("tesladb-admin: ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Stands for Terminal.Gui's application: notes what stderr held when it was closed.</summary>
    private sealed class RecordingTerminal(StringWriter error) : IDisposable
    {
        public string? ErrorWhenDisposed { get; private set; }

        public void Dispose() => ErrorWhenDisposed ??= error.ToString();
    }
}
