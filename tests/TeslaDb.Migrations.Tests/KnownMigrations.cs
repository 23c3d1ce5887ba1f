using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tests;

/// <summary>Facts about TeslaDb's own migrations that the tests check against.</summary>
internal static class KnownMigrations
{
    /// <summary>How many there are, read from the assembly (a new migration needs no test edit).</summary>
    public static readonly int Count = typeof(TeslaDbMigrator).Assembly.GetTypes()
        .Count(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Length > 0);

    /// <summary>Every migration's version.</summary>
    public static readonly IReadOnlyList<long> Versions = [.. typeof(TeslaDbMigrator).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Cast<FluentMigrator.MigrationAttribute>())
        .Select(a => a.Version)];

    public static readonly long Latest = typeof(TeslaDbMigrator).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Cast<FluentMigrator.MigrationAttribute>())
        .Max(a => a.Version);

    /// <summary>How many run in a transaction (the others build indexes concurrently, outside one).</summary>
    public static readonly int Transactional = typeof(TeslaDbMigrator).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes(typeof(FluentMigrator.MigrationAttribute), false).Cast<FluentMigrator.MigrationAttribute>())
        .Count(a => a.TransactionBehavior == FluentMigrator.TransactionBehavior.Default);
}
