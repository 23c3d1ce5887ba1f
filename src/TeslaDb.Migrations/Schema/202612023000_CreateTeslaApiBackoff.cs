using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// The back-off Tesla asked an account for (HTTP 429 with <c>Retry-After</c>), one row per account, shared by every
/// app instance on the database: until <c>retry_at</c> no instance calls Tesla for that account and the cache serves
/// its stored responses instead. Tesla bills 429 answers too, so asking again early costs money as well as time.
/// </summary>
/// <remarks>On Supabase the table gets row level security like the others: an <c>authenticated</c> user reads and
/// writes only the rows of their own accounts; the server (service_role, owner) bypasses RLS.</remarks>
[Migration(202612023000, "Create tesla_api_backoff (shared 429 back-off per account)")]
public sealed class CreateTeslaApiBackoff(MigrationTarget target) : Migration
{
    private const string OwnAccounts =
        "tesla_account_id IN (SELECT a.id FROM public.tesla_accounts a WHERE a.supabase_user_id = (SELECT auth.uid()))";

    public override void Up()
    {
        Create.Table(SchemaNames.TeslaApiBackoff).InSchema(SchemaNames.Public)
            .WithColumn("tesla_account_id").AsGuid().NotNullable().PrimaryKey("pk_tesla_api_backoff")
                .ForeignKey("fk_backoff_tesla_account_id", SchemaNames.Public, SchemaNames.TeslaAccounts, "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("retry_at").AsDateTimeOffset().NotNullable()
            .WithColumn("reason").AsString().NotNullable()
            .WithColumn("updated_at").AsDateTimeOffset().NotNullable().WithDefaultValue(RawSql.Insert("now()"));

        if (target.Supabase)
        {
            Execute.Sql("ALTER TABLE public.tesla_api_backoff ENABLE ROW LEVEL SECURITY;");
            Execute.Sql($"""
                CREATE POLICY tesla_api_backoff_owner ON public.tesla_api_backoff FOR ALL TO authenticated
                    USING ({OwnAccounts})
                    WITH CHECK ({OwnAccounts});
                """);
        }
    }

    public override void Down()
    {
        Delete.Table(SchemaNames.TeslaApiBackoff).InSchema(SchemaNames.Public);
    }
}
