using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Core;
using TeslaDb.Admin.Views;

LaunchSteps.Mark("Main");
ConsoleHost.LoadInBackground();

// The terminal starts while the session opens on another thread, and is disposed by RunAsync before it prints
// anything (everything printed before would land on the alternate screen and vanish). No Terminal.Gui type here:
// see ConsoleHost.
return await AdminCommand.RunAsync<IDisposable>(args, Console.Out, Console.Error, ConsoleHost.Start, ConsoleHost.Run);
