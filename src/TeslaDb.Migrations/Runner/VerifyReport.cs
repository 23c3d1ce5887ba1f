using TeslaDb.Migrations.Verify;

namespace TeslaDb.Migrations.Runner;

/// <summary>What <c>verify</c> found: pending or changed migrations, and how the live schema differs from the one the
/// migrations define (compared only once nothing is pending), and indexes left invalid by a failed concurrent build
/// (looked for always: a failed build usually leaves its migration pending).</summary>
public sealed record VerifyReport(MigrationStatus Status, IReadOnlyList<SchemaDifference> Differences, IReadOnlyList<InvalidIndex> InvalidIndexes)
{
    public bool IsClean => Status.IsUpToDate && !Status.Changed.Any() && Differences.Count == 0 && InvalidIndexes.Count == 0;
}
