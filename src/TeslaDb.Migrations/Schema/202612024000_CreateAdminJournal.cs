using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>tesladb.admin_journal</c>: one row per purge run from tesladb-admin (when, by which database role, OS user and
/// host, what scope, rows counted and deleted, how long, completed or cancelled), so a purge leaves a trace in the
/// database itself. In the <c>tesladb</c> schema, beside the version table, where Supabase's API never exposes it;
/// on Supabase row level security is on with no policy and no client role may touch it (service_role and the owner
/// bypass RLS). A new table: its constraints are created with it, nothing else is locked.
/// </summary>
[Migration(202612024000, "Create tesladb.admin_journal (purges run from tesladb-admin)")]
public sealed class CreateAdminJournal(MigrationTarget target) : Migration
{
    private const string Table = SchemaNames.VersionSchema + "." + SchemaNames.AdminJournal;

    public override void Up()
    {
        Execute.Sql($"""
            CREATE TABLE {Table} (
                id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_admin_journal PRIMARY KEY,
                started_at timestamptz NOT NULL DEFAULT now(),
                database_role text NOT NULL DEFAULT current_user,
                os_user text NOT NULL,
                os_host text NOT NULL,
                action text NOT NULL,
                scope_kind text NOT NULL,
                scope text NOT NULL,
                rows_counted bigint NOT NULL,
                rows_deleted bigint NOT NULL,
                duration_ms bigint NOT NULL,
                outcome text NOT NULL CONSTRAINT ck_admin_journal_outcome CHECK (outcome IN ('completed', 'cancelled', 'failed'))
            );
            """);
        // The journal view lists the newest first.
        Execute.Sql($"CREATE INDEX idx_admin_journal_started_at ON {Table} (started_at DESC, id DESC);");
        if (target.Supabase)
        {
            Execute.Sql($"""
                ALTER TABLE {Table} ENABLE ROW LEVEL SECURITY;
                REVOKE ALL ON TABLE {Table} FROM anon, authenticated;
                """);
        }
    }

    public override void Down()
    {
        // The runner refuses a down that would drop a journal holding rows (DataLossCheck).
        Execute.Sql($"DROP TABLE {Table};");
    }
}
