using TeslaDb.Migrations.Verify;

namespace TeslaDb.Migrations.Runner;

/// <summary>What <c>verify</c> found: pending or changed migrations, and how the live schema differs from the one the
/// migrations define (compared only once nothing is pending).</summary>
public sealed record VerifyReport(MigrationStatus Status, IReadOnlyList<SchemaDifference> Differences)
{
    public bool IsClean => Status.IsUpToDate && !Status.Changed.Any() && Differences.Count == 0;
}
