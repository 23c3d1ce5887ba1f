using FluentMigrator;
using FluentMigrator.Postgres;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// The TTL cache of the other endpoints (charge_state, climate_state, …), one row per (vehicle, endpoint).
/// A null <c>expires_at</c> never expires.
/// </summary>
[Migration(202611251030, "Create vehicle_data_cache")]
public sealed class CreateVehicleDataCache : Migration
{
    public override void Up()
    {
        Create.Table(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .WithColumn("id").AsGuid().NotNullable().PrimaryKey("pk_vehicle_data_cache").WithDefaultValue(RawSql.Insert("gen_random_uuid()"))
            .WithColumn("tesla_account_id").AsGuid().NotNullable()
                .ForeignKey("fk_cache_tesla_account_id", SchemaNames.Public, SchemaNames.TeslaAccounts, "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("vehicle_id").AsGuid().NotNullable()
                .ForeignKey("fk_cache_vehicle_id", SchemaNames.Public, SchemaNames.Vehicles, "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("endpoint_name").AsString().NotNullable()
            .WithColumn("response_data").AsCustom("jsonb").NotNullable()
            .WithColumn("expires_at").AsDateTimeOffset().Nullable()
            .WithColumn("created_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"))
            .WithColumn("updated_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"))
            .WithColumn("last_fetched_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"));

        // The target of the seed's ON CONFLICT (vehicle_id, endpoint_name).
        Create.UniqueConstraint("uq_cache_vehicle_endpoint").OnTable(SchemaNames.VehicleDataCache).WithSchema(SchemaNames.Public)
            .Columns("vehicle_id", "endpoint_name");

        Create.Index("idx_cache_vehicle_id").OnTable(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .OnColumn("vehicle_id").Ascending();
        Create.Index("idx_cache_endpoint").OnTable(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .OnColumn("endpoint_name").Ascending();
        Create.Index("idx_cache_expires_at").OnTable(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .OnColumn("expires_at").Ascending();
        Create.Index("idx_cache_account_endpoint").OnTable(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .OnColumn("tesla_account_id").Ascending()
            .OnColumn("endpoint_name").Ascending();
        Create.Index("idx_cache_data_gin").OnTable(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public)
            .OnColumn("response_data").Ascending()
            .WithOptions().UsingGin();
    }

    public override void Down()
    {
        Delete.Table(SchemaNames.VehicleDataCache).InSchema(SchemaNames.Public);
    }
}
