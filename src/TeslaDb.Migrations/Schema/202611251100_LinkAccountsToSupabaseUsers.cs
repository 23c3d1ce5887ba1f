using FluentMigrator;
using TeslaDb.Migrations.Plan;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// Supabase only: <c>tesla_accounts.supabase_user_id</c> references <c>auth.users(id)</c> (its primary key, the only
/// key the advisor accepts), so deleting a user deletes their accounts and, by cascade, vehicles, cache and tokens.
/// Off Supabase this migration does nothing.
/// </summary>
[Migration(202611251100, "Supabase: link tesla_accounts to auth.users")]
[LintAllow("TDB003",
    "validated inline: scans tesla_accounts (one row per linked Tesla account, thousands at most) while writes to it and auth.users wait; applied on Supabase databases already, its SQL is frozen by its checksum",
    Table = "public.tesla_accounts")]
public sealed class LinkAccountsToSupabaseUsers(MigrationTarget target) : Migration
{
    public override void Up()
    {
        if (target.Supabase)
        {
            // The column is already indexed (idx_tesla_accounts_user_id), as the advisor wants for every foreign key.
            Execute.Sql("ALTER TABLE public.tesla_accounts ADD CONSTRAINT fk_tesla_accounts_supabase_user_id FOREIGN KEY (supabase_user_id) REFERENCES auth.users (id) ON DELETE CASCADE;");
        }
    }

    public override void Down()
    {
        if (target.Supabase)
        {
            Execute.Sql("ALTER TABLE public.tesla_accounts DROP CONSTRAINT IF EXISTS fk_tesla_accounts_supabase_user_id;");
        }
    }
}
