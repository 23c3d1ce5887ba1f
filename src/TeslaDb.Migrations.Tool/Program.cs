using TeslaDb.Migrations.Tool;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop after rolling back the migration in progress. A second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
return await MigrateCommand.RunAsync(args, new CliContext(), cancellation.Token);
