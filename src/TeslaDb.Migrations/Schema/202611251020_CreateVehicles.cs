using FluentMigrator;
using FluentMigrator.Postgres;

namespace TeslaDb.Migrations.Schema;

/// <summary>The cache of each account's vehicle list, one row per (account, Tesla id).</summary>
[Migration(202611251020, "Create vehicles")]
public sealed class CreateVehicles : Migration
{
    public override void Up()
    {
        Create.Table(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .WithColumn("id").AsGuid().NotNullable().PrimaryKey("pk_vehicles").WithDefaultValue(RawSql.Insert("gen_random_uuid()"))
            .WithColumn("tesla_account_id").AsGuid().NotNullable()
                .ForeignKey("fk_vehicles_tesla_account_id", SchemaNames.Public, SchemaNames.TeslaAccounts, "id").OnDelete(System.Data.Rule.Cascade)
            // Tesla's vehicle ids exceed 2^53: bigint, never a double.
            .WithColumn("tesla_id").AsInt64().NotNullable()
            .WithColumn("tesla_vehicle_id").AsInt64().Nullable()
            .WithColumn("vin").AsString().NotNullable()
            .WithColumn("vehicle_data").AsCustom("jsonb").NotNullable()
            .WithColumn("display_name").AsString().Nullable()
            .WithColumn("access_type").AsString().Nullable()
            .WithColumn("state").AsString().Nullable()
            .WithColumn("in_service").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("api_version").AsInt32().Nullable()
            .WithColumn("created_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"))
            .WithColumn("updated_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"))
            .WithColumn("last_synced_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"));

        // The target of the seed's ON CONFLICT (tesla_account_id, tesla_id).
        Create.UniqueConstraint("uq_vehicles_account_tesla_id").OnTable(SchemaNames.Vehicles).WithSchema(SchemaNames.Public)
            .Columns("tesla_account_id", "tesla_id");

        Create.Index("idx_vehicles_tesla_account_id").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("tesla_account_id").Ascending();
        Create.Index("idx_vehicles_vin").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("vin").Ascending();
        Create.Index("idx_vehicles_tesla_id").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("tesla_id").Ascending();
        Create.Index("idx_vehicles_state").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("state").Ascending();
        Create.Index("idx_vehicles_account_state").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("tesla_account_id").Ascending()
            .OnColumn("state").Ascending();
        Create.Index("idx_vehicles_data_gin").OnTable(SchemaNames.Vehicles).InSchema(SchemaNames.Public)
            .OnColumn("vehicle_data").Ascending()
            .WithOptions().UsingGin();
    }

    public override void Down()
    {
        Delete.Table(SchemaNames.Vehicles).InSchema(SchemaNames.Public);
    }
}
