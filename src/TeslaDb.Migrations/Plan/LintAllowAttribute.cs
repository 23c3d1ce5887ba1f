namespace TeslaDb.Migrations.Plan;

/// <summary>
/// Acknowledges, on a migration class, that it breaks a lint rule on purpose, and why. The plan still shows the
/// finding, marked allowed with the reason, and it no longer fails <c>tesladb-migrate plan</c> (exit 12) or the
/// test that lints every migration. Give the reason a reviewer needs: why the unsafe form is right here.
/// </summary>
/// <example><c>[LintAllow("TDB001", "tokens is tiny: one row per Tesla account")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LintAllowAttribute(string rule, string reason) : Attribute
{
    /// <summary>The rule's id, "TDB001" …</summary>
    public string Rule { get; } = rule;

    public string Reason { get; } = reason;

    /// <summary>Only for this table ("public.tokens"); every table of the migration when null.</summary>
    public string? Table { get; init; }
}
