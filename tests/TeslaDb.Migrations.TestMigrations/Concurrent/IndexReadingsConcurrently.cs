using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Concurrent;

/// <summary>
/// The way a big index is built on a live table: outside a transaction, one statement per Execute.Sql, idempotent
/// so that a rerun after a failure resumes. <see cref="UniqueIndexName"/> fails (leaving an invalid index) while
/// the table holds duplicate codes; the settings table records the limits its statements ran under.
/// </summary>
[Migration(VersionNumber, TransactionBehavior.None, "Index readings concurrently")]
public sealed class IndexReadingsConcurrently : Migration
{
    public const long VersionNumber = 209902000100;
    public const string IndexName = "readings_code_idx";
    public const string UniqueIndexName = "readings_code_key";
    public const string SettingsTable = "readings_step_settings";

    public override void Up()
    {
        Execute.Sql($"CREATE INDEX CONCURRENTLY IF NOT EXISTS {IndexName} ON public.{CreateReadings.TableName} (code)");
        Execute.Sql($"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {UniqueIndexName} ON public.{CreateReadings.TableName} (code)");
        Execute.Sql($"CREATE TABLE IF NOT EXISTS public.{SettingsTable} AS SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout");
    }

    public override void Down()
    {
        Execute.Sql($"DROP TABLE IF EXISTS public.{SettingsTable}");
        Execute.Sql($"DROP INDEX CONCURRENTLY IF EXISTS public.{UniqueIndexName}");
        Execute.Sql($"DROP INDEX CONCURRENTLY IF EXISTS public.{IndexName}");
    }
}
