using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Failing;

/// <summary>Creates a table, then fails: the table and the version row must both be rolled back.</summary>
[Migration(VersionNumber, "Fails halfway on purpose")]
public sealed class FailsHalfway : Migration
{
    public const long VersionNumber = 209901010000;
    public const string TableName = "half_made";

    public override void Up()
    {
        Create.Table(TableName).InSchema("public").WithColumn("id").AsInt32().PrimaryKey();
        Insert.IntoTable(TableName).InSchema("public").Row(new { id = 1 });
        Execute.Sql("SELECT 1 / 0;");
    }

    public override void Down() => Delete.Table(TableName).InSchema("public");
}
