using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Blocked;

/// <summary>An ALTER TABLE (ACCESS EXCLUSIVE) that queues behind any open transaction having read the table.</summary>
[Migration(VersionNumber, "Add a column to gauges")]
public sealed class AddGaugeUnit : Migration
{
    public const long VersionNumber = 209903000100;

    public override void Up() => Alter.Table(CreateGauges.TableName).InSchema("public").AddColumn("unit").AsString(8).Nullable();

    public override void Down() => Delete.Column("unit").FromTable(CreateGauges.TableName).InSchema("public");
}
