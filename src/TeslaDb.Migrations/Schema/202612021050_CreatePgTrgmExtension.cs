using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// pg_trgm, for the trigram index of the console's account search (202612021055). On Supabase extensions live in
/// the <c>extensions</c> schema (Supabase's advisor flags extensions in <c>public</c>); elsewhere in <c>public</c>,
/// PostgreSQL's default. IF NOT EXISTS: a database that already has it keeps it as it is.
/// </summary>
[Migration(202612021050, "Create extension pg_trgm")]
public sealed class CreatePgTrgmExtension(MigrationTarget target) : Migration
{
    /// <summary>The schema pg_trgm is created in, hence where its operator classes are found.</summary>
    public static string SchemaFor(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Supabase ? "extensions" : SchemaNames.Public;
    }

    public override void Up() => Execute.Sql($"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {SchemaFor(target)};");

    // RESTRICT (the default): refused while anything else still uses pg_trgm, so down never drops another index.
    public override void Down() => Execute.Sql("DROP EXTENSION IF EXISTS pg_trgm;");
}
