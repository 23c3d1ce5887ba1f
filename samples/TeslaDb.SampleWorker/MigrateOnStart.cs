using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeslaDb.Access.DependencyInjection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.SampleWorker;

/// <summary>Applies the pending migrations before the other services start. Every instance does it: the runner's
/// advisory lock makes the first one migrate and the others wait, then find nothing to do.</summary>
public sealed class MigrateOnStart(IOptions<TeslaDbOptions> options, ILogger<MigrateOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = options.Value.ConnectionString });
        var run = await migrator.UpAsync(cancellationToken: cancellationToken);
        logger.LogInformation("Database migrated: {Applied} migration(s) applied", run.Steps.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
