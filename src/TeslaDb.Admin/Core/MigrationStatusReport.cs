using TeslaDb.Migrations.Runner;

namespace TeslaDb.Admin.Core;

/// <summary>The migration status view: each migration applied (when) or pending, and what to run.</summary>
public sealed class MigrationStatusReport(MigrationStatus status)
{
    public static IReadOnlyList<string> Columns { get; } = ["Version", "Migration", "State", "Applied"];

    public MigrationStatus Status { get; } = status;

    public IReadOnlyList<IReadOnlyList<string>> Rows =>
    [
        .. Status.Migrations.Select(m => (IReadOnlyList<string>)
        [
            m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Description,
            !m.IsKnown ? "applied (unknown to this tool)" : m.IsChanged ? "applied, CHANGED since" : m.IsApplied ? "applied" : "PENDING",
            Format.Time(m.AppliedOn),
        ]),
    ];

    public string Summary
    {
        get
        {
            var pending = Status.Pending.Count();
            var mode = Status.Supabase ? "Supabase mode" : "plain PostgreSQL";
            return pending == 0
                ? $"Up to date at {Status.CurrentVersion} ({mode})."
                : $"{Format.Plural(pending, "migration", "migrations")} pending ({mode}): run tesladb-migrate up.";
        }
    }

    public static async Task<MigrationStatusReport> LoadAsync(AdminSession session, CancellationToken cancellationToken) =>
        new(await session.MigrationStatusAsync(cancellationToken));
}
