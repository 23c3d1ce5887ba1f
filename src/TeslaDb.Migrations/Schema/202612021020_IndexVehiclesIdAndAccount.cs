using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// A unique index on vehicles (id, tesla_account_id): what the composite foreign key from the cache
/// (202612021030) references. Built CONCURRENTLY, so writes to vehicles go on during the build; hence outside a
/// transaction, one statement per command. IF NOT EXISTS lets a rerun after an interruption go on.
/// </summary>
[Migration(202612021020, TransactionBehavior.None, "Unique index on vehicles (id, tesla_account_id), built concurrently")]
public sealed class IndexVehiclesIdAndAccount : Migration
{
    public const string IndexName = "uq_vehicles_id_account";

    public override void Up() => Execute.Sql(
        $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {IndexName} ON public.vehicles (id, tesla_account_id);");

    public override void Down() => Execute.Sql($"DROP INDEX CONCURRENTLY IF EXISTS public.{IndexName};");
}
