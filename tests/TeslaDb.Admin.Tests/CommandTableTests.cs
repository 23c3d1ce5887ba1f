using Terminal.Gui.Input;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>The one table of commands feeds the keys, the status bar and the help screen: what one shows, the others do.</summary>
public sealed class CommandTableTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Help_screen_lists_every_command_and_the_status_bar_shows_every_titled_one()
    {
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("Accounts   (", Key.F1),
            When("Every key (the mouse works too", Key.Esc),
            When("help closed", s => !s.Contains("Every key (", StringComparison.Ordinal), new Key('q')),
        ], height: 52);

        Assert.NotEmpty(outcome.Commands);
        var help = Assert.Single(outcome.Screens.Where(s => s.Contains("Every key (the mouse works too", StringComparison.Ordinal)).TakeLast(1));
        foreach (var command in outcome.Commands)
        {
            Assert.Contains(command.KeyText, help, StringComparison.Ordinal);
            Assert.Contains(command.Help.Length > 60 ? command.Help[..60] : command.Help, help, StringComparison.Ordinal);
        }

        var statusLine = outcome.LastScreen.Split('\n').Last(l => l.Contains("F1  Help", StringComparison.Ordinal));
        foreach (var command in outcome.Commands.Where(c => c.StatusTitle is not null))
        {
            Assert.Contains(command.StatusTitle!, statusLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_key_runs_two_commands_at_once_once_the_console_has_started()
    {
        await using var session = fixture.Session();
        var outcome = Run(session, [When("Accounts   (", new Key('q'))]);
        var enabled = outcome.Commands.Where(c => c.Enabled()).ToList();
        var shared = enabled.SelectMany(c => c.Keys.Select(k => (Key: k.ToString(), c.Help))).GroupBy(x => x.Key).Where(g => g.Count() > 1).ToList();
        Assert.True(shared.Count == 0, "keys bound to more than one enabled command: " + string.Join(", ", shared.Select(g => g.Key)));
        Assert.Contains(outcome.Commands, c => c.KeyText.StartsWith("Esc (purge", StringComparison.Ordinal) && !c.Enabled());
    }
}
