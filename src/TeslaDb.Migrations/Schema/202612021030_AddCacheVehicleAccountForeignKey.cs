using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// A cache row's account must be its vehicle's account: vehicle_data_cache (vehicle_id, tesla_account_id) references
/// vehicles (id, tesla_account_id). Added NOT VALID: the ALTER only needs a brief SHARE ROW EXCLUSIVE lock on both
/// tables (no scan) and new or changed rows are checked from now on; the existing rows are checked by
/// 202612021040. ON UPDATE CASCADE moves a vehicle's cached responses with it if it changes account; ON DELETE
/// CASCADE matches the existing single-column keys.
/// </summary>
[Migration(202612021030, "Cache rows reference their vehicle's account (foreign key NOT VALID)")]
public sealed class AddCacheVehicleAccountForeignKey : Migration
{
    public const string ConstraintName = "fk_cache_vehicle_account";

    public override void Up() => Execute.Sql($"""
        ALTER TABLE public.vehicle_data_cache
          ADD CONSTRAINT {ConstraintName} FOREIGN KEY (vehicle_id, tesla_account_id)
              REFERENCES public.vehicles (id, tesla_account_id) ON UPDATE CASCADE ON DELETE CASCADE
              NOT VALID;
        """);

    public override void Down() => Execute.Sql(
        $"ALTER TABLE public.vehicle_data_cache DROP CONSTRAINT IF EXISTS {ConstraintName};");
}
