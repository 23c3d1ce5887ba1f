using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TeslaDb.Access.DependencyInjection;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary><c>AddHealthChecks().AddTeslaDb()</c>: healthy on a migrated database; unhealthy, saying what to do, on an
/// empty one or an unreachable server.</summary>
public sealed class HealthCheckTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_migrated_database_is_healthy()
    {
        var report = await CheckAsync(fixture.Database.ConnectionString);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("schema version", report.Entries["tesladb"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmigrated_database_is_unhealthy_and_names_what_is_missing()
    {
        await using var empty = await TestDatabase.CreateAsync();

        var report = await CheckAsync(empty.ConnectionString);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("not migrated (missing tesladb.version_info, public.tesla_accounts", report.Entries["tesladb"].Description, StringComparison.Ordinal);
        Assert.Contains("run tesladb-migrate up", report.Entries["tesladb"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_migrated_before_this_library_needs_is_unhealthy()
    {
        await using var old = await TestDatabase.CreateAsync();
        await new Migrations.Runner.TeslaDbMigrator(new Migrations.Runner.MigratorOptions { ConnectionString = old.ConnectionString }).UpAsync(cancellationToken: Ct);
        await old.ExecuteAsync("DELETE FROM tesladb.version_info WHERE version >= @v", ("v", TeslaDbHealthCheck.RequiredSchemaVersion));

        var report = await CheckAsync(old.ConnectionString);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains($"this library needs {TeslaDbHealthCheck.RequiredSchemaVersion}", report.Entries["tesladb"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_unhealthy_without_showing_the_password()
    {
        var report = await CheckAsync("Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Database=db;Timeout=3");

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("unreachable", report.Entries["tesladb"].Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", report.Entries["tesladb"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_required_version_is_a_migration_that_exists()
    {
        var versions = typeof(Migrations.Schema.SchemaNames).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Cast<FluentMigrator.MigrationAttribute>())
            .Select(a => a.Version)
            .ToList();

        Assert.Contains(TeslaDbHealthCheck.RequiredSchemaVersion, versions);
    }

    private static async Task<HealthReport> CheckAsync(string connectionString)
    {
        var services = new ServiceCollection().AddLogging().AddTeslaDb(connectionString);
        services.AddHealthChecks().AddTeslaDb();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
    }
}
