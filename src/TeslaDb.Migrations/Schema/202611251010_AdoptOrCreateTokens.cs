using FluentMigrator;
using TeslaDb.Migrations.Plan;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>tokens</c> existed before this schema in real databases ("modifiée" in the seed). When it is there it is
/// adopted: only <c>tesla_account_id</c>, its foreign key and its index are added, and every row is kept. When it
/// is absent it is created with the legacy shape first, so both paths end in the same table.
/// </summary>
/// <remarks>
/// Down removes only what Up added to the table and never drops it, even when Up created it: the tokens stored
/// since (OAuth refresh tokens, which cannot be fetched again) must survive a rollback.
/// </remarks>
/// <remarks>
/// Written before the runner could build indexes concurrently; applied on every existing database, so its SQL cannot
/// change (the checksum would flag it). Its two lint findings are acknowledged rather than fixed.
/// </remarks>
[Migration(202611251010, "Adopt or create tokens, link tokens to tesla_accounts")]
[LintAllow("TDB001",
    "the adopted tokens table holds a few OAuth rows per Tesla account, so the build under SHARE is short; applied everywhere already, its SQL is frozen by its checksum",
    Table = "public.tokens")]
[LintAllow("TDB003",
    "tesla_account_id is added empty by the statement before, so validation reads the small tokens table and checks no row; applied everywhere already, its SQL is frozen by its checksum",
    Table = "public.tokens")]
public sealed class AdoptOrCreateTokens : Migration
{
    public override void Up()
    {
        // Decided by the database, not by C#: the generated SQL is then the same whatever the database holds, so
        // its checksum is stable and the script shows both paths.
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS public.tokens (
                key text NOT NULL CONSTRAINT tokens_pkey PRIMARY KEY,
                token_data jsonb NOT NULL,
                expires_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            """);

        Alter.Table(SchemaNames.Tokens).InSchema(SchemaNames.Public)
            .AddColumn("tesla_account_id").AsGuid().Nullable();
        Create.ForeignKey("fk_tokens_tesla_account_id")
            .FromTable(SchemaNames.Tokens).InSchema(SchemaNames.Public).ForeignColumn("tesla_account_id")
            .ToTable(SchemaNames.TeslaAccounts).InSchema(SchemaNames.Public).PrimaryColumn("id")
            .OnDelete(System.Data.Rule.Cascade);
        Create.Index("idx_tokens_tesla_account_id").OnTable(SchemaNames.Tokens).InSchema(SchemaNames.Public)
            .OnColumn("tesla_account_id").Ascending();
    }

    public override void Down()
    {
        Delete.Index("idx_tokens_tesla_account_id").OnTable(SchemaNames.Tokens).InSchema(SchemaNames.Public);
        Delete.ForeignKey("fk_tokens_tesla_account_id").OnTable(SchemaNames.Tokens).InSchema(SchemaNames.Public);
        Delete.Column("tesla_account_id").FromTable(SchemaNames.Tokens).InSchema(SchemaNames.Public);
    }
}
