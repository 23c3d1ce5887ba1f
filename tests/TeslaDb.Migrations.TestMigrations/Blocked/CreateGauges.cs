using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Blocked;

/// <summary>Creates a table the tests then lock from another session.</summary>
[Migration(VersionNumber, "Create gauges")]
public sealed class CreateGauges : Migration
{
    public const long VersionNumber = 209903000000;
    public const string TableName = "gauges";

    public override void Up() => Create.Table(TableName).InSchema("public").WithColumn("id").AsInt32().PrimaryKey();

    public override void Down() => Delete.Table(TableName).InSchema("public");
}
