using System.Diagnostics;
using System.Runtime.CompilerServices;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using TeslaDb.Admin.Core;
using TeslaDb.Admin.Views;

namespace TeslaDb.Admin.Tests;

/// <summary>
/// Runs the real console (<see cref="AdminConsole"/> in its <see cref="MainWindow"/>) on Terminal.Gui's ANSI driver
/// with no terminal attached, the way Terminal.Gui's own tests do: keys go in through InjectKey, the screen comes out
/// of the driver's buffer as text. A script is a list of steps, each waiting until the screen shows something,
/// then typing; every screen seen is kept so a test can assert on all of them (a token must never appear on any).
/// </summary>
internal static class HeadlessConsole
{
    [ModuleInitializer]
    internal static void NoRealTerminal() => Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");

    public sealed record Step(string Waiting, Func<string, bool> Ready, Action<IApplication> Act);

    internal sealed record Outcome(IReadOnlyList<string> Screens, string LastScreen, Problem? Fatal, IReadOnlyList<ConsoleCommand> Commands);

    /// <summary>Waits for <paramref name="text"/>, then presses <paramref name="keys"/>. A key that opens a dialog
    /// must be the last of its step: the keys after it would only be pressed once the dialog closed.</summary>
    public static Step When(string text, params Key[] keys) =>
        new($"screen shows '{text}'", s => s.Contains(text, StringComparison.Ordinal), app => Press(app, keys));

    public static Step When(string waiting, Func<string, bool> ready, params Key[] keys) => new(waiting, ready, app => Press(app, keys));

    /// <summary>Waits for <paramref name="text"/>, then clicks (or double-clicks) its first character.</summary>
    public static Step Click(string text, bool twice = false) =>
        new($"screen shows '{text}' to click", s => s.Contains(text, StringComparison.Ordinal), app =>
        {
            var lines = (app.Driver!.ToString() ?? string.Empty).Split('\n');
            var row = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
            var at = new System.Drawing.Point(lines[row].IndexOf(text, StringComparison.Ordinal), row);
            // Each event carries its own timestamp, 10 ms apart: Terminal.Gui counts a double click from the events'
            // timestamps, so a slow machine between the two clicks cannot turn them into two single clicks.
            var start = DateTime.Now;
            MouseFlags[] flags = twice
                ? [MouseFlags.LeftButtonPressed, MouseFlags.LeftButtonReleased, MouseFlags.LeftButtonPressed, MouseFlags.LeftButtonReleased]
                : [MouseFlags.LeftButtonPressed, MouseFlags.LeftButtonReleased];
            for (var i = 0; i < flags.Length; i++)
            {
                app.InjectMouse(new Mouse { Flags = flags[i], ScreenPosition = at, Timestamp = start.AddMilliseconds(10 * i) });
            }
        });

    public static Key[] Type(string text) => [.. text.Select(c => new Key(c))];

    internal static Outcome Run(AdminSession session, IReadOnlyList<Step> steps, int width = 120, int height = 32, ConsoleOptions? options = null)
    {
        using var app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(width, height);
        var console = new AdminConsole(app, session, options);
        var screens = new List<string>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        string? failure = null;
        app.Iteration += (_, _) =>
        {
            var screen = app.Driver.ToString() ?? string.Empty;
            if (screens.Count == 0 || screens[^1] != screen)
            {
                screens.Add(screen);
            }

            if (failure is not null)
            {
                app.RequestStop(); // closes whatever is on top, dialogs first, until the main window ends
            }
            else if (next < steps.Count && steps[next].Ready(screen))
            {
                // Counted before acting: a key that opens a dialog runs the dialog's loop inside Act, and this handler
                // goes on with the next steps from there.
                var step = steps[next++];
                clock.Restart();
                step.Act(app);
            }
            else if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                failure = next < steps.Count ? $"step {next + 1} waited 30 s for: {steps[next].Waiting}" : "the console did not quit after the last step";
            }
        };
        console.Start();
        app.Run(console.Window);
        var last = screens.Count > 0 ? screens[^1] : string.Empty;
        console.Window.Dispose();
        Assert.True(failure is null, $"{failure}\nLast screen:\n{last}");
        return new Outcome(screens, last, console.Fatal, console.Commands);
    }

    private static void Press(IApplication app, Key[] keys)
    {
        foreach (var key in keys)
        {
            app.InjectKey(key);
        }
    }
}
