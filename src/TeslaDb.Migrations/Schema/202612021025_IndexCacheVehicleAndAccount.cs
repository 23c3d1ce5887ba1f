using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// An index on vehicle_data_cache (vehicle_id, tesla_account_id), the columns of the composite foreign key added
/// next: when a vehicle is deleted or changes account, the cascade finds its cache rows through it, and Supabase's
/// advisor (unindexed_foreign_keys) wants every foreign key's columns to lead an index. Built CONCURRENTLY (the cache
/// is the big table), so outside a transaction; IF NOT EXISTS lets an interrupted run resume.
/// </summary>
[Migration(202612021025, TransactionBehavior.None, "Index on vehicle_data_cache (vehicle_id, tesla_account_id), built concurrently")]
public sealed class IndexCacheVehicleAndAccount : Migration
{
    public const string IndexName = "idx_cache_vehicle_account";

    public override void Up() => Execute.Sql(
        $"CREATE INDEX CONCURRENTLY IF NOT EXISTS {IndexName} ON public.vehicle_data_cache (vehicle_id, tesla_account_id);");

    public override void Down() => Execute.Sql($"DROP INDEX CONCURRENTLY IF EXISTS public.{IndexName};");
}
