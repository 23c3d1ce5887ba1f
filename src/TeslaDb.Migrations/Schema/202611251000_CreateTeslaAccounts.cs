using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>Tesla accounts: several per Supabase user.</summary>
[Migration(202611251000, "Create tesla_accounts")]
public sealed class CreateTeslaAccounts : Migration
{
    public override void Up()
    {
        Create.Table(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public)
            .WithColumn("id").AsGuid().NotNullable().PrimaryKey("pk_tesla_accounts").WithDefaultValue(RawSql.Insert("gen_random_uuid()"))
            .WithColumn("supabase_user_id").AsGuid().NotNullable()
            .WithColumn("account_name").AsString().NotNullable()
            .WithColumn("email").AsString().Nullable()
            .WithColumn("is_active").AsBoolean().NotNullable().WithDefaultValue(true)
            .WithColumn("created_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"))
            .WithColumn("updated_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"));

        Create.Index("idx_tesla_accounts_user_id").OnTable(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public)
            .OnColumn("supabase_user_id").Ascending();
        Create.Index("idx_tesla_accounts_active").OnTable(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public)
            .OnColumn("is_active").Ascending();
        Create.Index("idx_tesla_accounts_user_active").OnTable(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public)
            .OnColumn("supabase_user_id").Ascending()
            .OnColumn("is_active").Ascending();
    }

    public override void Down()
    {
        // Dropping the table drops its indexes; tokens' link to it is removed by the tokens migration's Down first.
        Delete.Table(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public);
    }
}
