using Terminal.Gui.App;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Views;

return await AdminCommand.RunAsync(args, Console.Out, Console.Error,
    // Runs while the session opens on another thread; disposed by RunAsync before it prints anything, since
    // everything printed before would land on the alternate screen and vanish.
    startTerminal: () =>
    {
        var app = Application.Create();
        try
        {
            app.Init();
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    },
    runConsole: (app, session) =>
    {
        var console = new AdminConsole(app, session);
        console.Start();
        StartupProbe.Attach(app, console.Window, console.Window.Table); // scripts/bench.sh --admin only
        app.Run(console.Window);
        console.Window.Dispose();
        return console.Fatal;
    });
