namespace TeslaDb.Migrations.Plan;

/// <summary>What the lint reads of one migration: the SQL its Up generates, command by command (one Execute.Sql or
/// one FluentMigrator expression each; a command may hold several statements), and its acknowledgements.</summary>
internal sealed record MigrationSource(
    long Version, string Description, bool InTransaction, IReadOnlyList<string> Commands, IReadOnlyList<LintAllowAttribute> Allows)
{
    /// <summary>The SQL its Down generates, when read (<c>plan --all</c>): checked for drops the data-loss guard misses.</summary>
    public IReadOnlyList<string>? DownCommands { get; init; }
}
