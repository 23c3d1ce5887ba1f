using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>updated_at</c> is set by the database on every UPDATE of the four tables, whichever client writes
/// (the seed's upserts set it by hand; a client that forgets no longer leaves it stale).
/// </summary>
[Migration(202611251050, "Keep updated_at current with triggers")]
public sealed class KeepUpdatedAtCurrent : Migration
{
    private static readonly string[] Tables =
    [
        SchemaNames.TeslaAccounts, SchemaNames.Tokens, SchemaNames.Vehicles, SchemaNames.VehicleDataCache,
    ];

    public override void Up()
    {
        Execute.Sql("""
            CREATE FUNCTION public.tesladb_set_updated_at() RETURNS trigger
                LANGUAGE plpgsql
                SET search_path = ''
            AS $function$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END
            $function$;
            """);
        foreach (var table in Tables)
        {
            Execute.Sql($"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON public.{table} FOR EACH ROW EXECUTE FUNCTION public.tesladb_set_updated_at();");
        }
    }

    public override void Down()
    {
        foreach (var table in Tables)
        {
            Execute.Sql($"DROP TRIGGER trg_{table}_updated_at ON public.{table};");
        }

        Execute.Sql("DROP FUNCTION public.tesladb_set_updated_at();");
    }
}
