using FluentMigrator;

namespace TeslaDb.Migrations.TestMigrations.Concurrent;

/// <summary>A table with rows, for <see cref="IndexReadingsConcurrently"/> to index.</summary>
[Migration(VersionNumber, "Create readings")]
public sealed class CreateReadings : Migration
{
    public const long VersionNumber = 209902000000;
    public const string TableName = "readings";

    public override void Up()
    {
        Create.Table(TableName).InSchema("public")
            .WithColumn("id").AsInt32().PrimaryKey()
            .WithColumn("code").AsInt32().NotNullable();
        Execute.Sql($"INSERT INTO public.{TableName} (id, code) SELECT i, i FROM generate_series(1, 1000) AS i");
    }

    public override void Down() => Delete.Table(TableName).InSchema("public");
}
