using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Failing;

/// <summary>Runs before <see cref="FailsHalfway"/> in the same run: it must stay applied when that one fails.</summary>
[Migration(VersionNumber, "Succeeds before the failure")]
public sealed class SucceedsFirst : Migration
{
    public const long VersionNumber = 209901000000;
    public const string TableName = "made_before_failure";

    public override void Up() => Create.Table(TableName).InSchema("public").WithColumn("id").AsInt32().PrimaryKey();

    public override void Down() => Delete.Table(TableName).InSchema("public");
}
