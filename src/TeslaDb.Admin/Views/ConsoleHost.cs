using Terminal.Gui.App;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>
/// Starts Terminal.Gui and runs the console on it, for <see cref="AdminCommand"/>. Program.cs reaches Terminal.Gui
/// only through here, and the terminal travels as an <see cref="IDisposable"/>: Terminal.Gui's assembly runs its
/// configuration's module initializer (100–250 ms of launch, issue 12) when first loaded, so keeping its types out of
/// <c>Main</c> lets <see cref="LoadInBackground"/> run it on the thread pool, beside the command line's parsing,
/// instead of before <c>Main</c>.
/// </summary>
internal static class ConsoleHost
{
    /// <summary>
    /// Runs Terminal.Gui's module initializer (its configuration: every configurable property found by reflection,
    /// themes deep-cloned; ~100–250 ms, the largest single step of the launch) on the thread pool, while the command
    /// line is parsed and the connection opens. It touches no terminal: a usage error or --help still leaves the
    /// screen alone, and the work is simply dropped when the process ends.
    /// </summary>
    public static void LoadInBackground() =>
        ThreadPool.UnsafeQueueUserWorkItem(static _ =>
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(Application).Module.ModuleHandle);
            LaunchSteps.Mark("terminal: module initializer done");
        }, null);

    /// <summary>Takes over the terminal (Terminal.Gui's Init).</summary>
    public static IDisposable Start()
    {
        LaunchSteps.Mark("terminal: start");
        var app = Application.Create();
        try
        {
            app.Init();
            LaunchSteps.Mark("terminal: Init done");
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>Runs the console until it quits; returns the problem that stopped it, if any.</summary>
    public static Problem? Run(IDisposable terminal, AdminSession session)
    {
        var app = (IApplication)terminal;
        var console = new AdminConsole(app, session);
        LaunchSteps.Mark("window built");
        console.Start();
        StartupProbe.Attach(app, console.Window, console.Window.Table); // scripts/bench.sh --admin only
        app.Run(console.Window);
        console.Window.Dispose();
        return console.Fatal;
    }
}
