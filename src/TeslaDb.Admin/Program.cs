using Terminal.Gui.App;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Views;

return await AdminCommand.RunAsync(args, Console.Out, Console.Error, session =>
{
    // Everything printed before Dispose would land on the alternate screen and vanish: the caller prints after.
    using var app = Application.Create();
    app.Init();
    var console = new AdminConsole(app, session);
    console.Start();
    StartupProbe.Attach(app, console.Window, console.Window.Table); // scripts/bench.sh --admin only
    app.Run(console.Window);
    console.Window.Dispose();
    return console.Fatal;
});
