using System.Data;
using System.Globalization;
using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// Validates fk_cache_vehicle_account over the existing rows. VALIDATE CONSTRAINT takes only SHARE UPDATE
/// EXCLUSIVE on the cache (writes go on during the scan). Before it, the rows that break the rule are counted: when
/// there are any, the migration stops with how many and the query that lists them, instead of PostgreSQL's error
/// naming one row. Nothing is deleted or changed: which account is right is the owner's call.
/// </summary>
[Migration(202612021040, "Validate the cache's vehicle-account foreign key")]
public sealed class ValidateCacheVehicleAccountForeignKey : Migration
{
    /// <summary>Lists the cache rows whose account is not their vehicle's.</summary>
    public const string ListMismatchesSql =
        "SELECT c.id, c.vehicle_id, c.endpoint_name, c.tesla_account_id AS cache_account, v.tesla_account_id AS vehicle_account "
        + "FROM public.vehicle_data_cache c JOIN public.vehicles v ON v.id = c.vehicle_id "
        + "WHERE c.tesla_account_id <> v.tesla_account_id";

    private const string CountMismatchesSql =
        "SELECT count(*) FROM public.vehicle_data_cache c JOIN public.vehicles v ON v.id = c.vehicle_id "
        + "WHERE c.tesla_account_id <> v.tesla_account_id";

    public override void Up()
    {
        Execute.WithConnection(StopIfMismatched);
        Execute.Sql($"ALTER TABLE public.vehicle_data_cache VALIDATE CONSTRAINT {AddCacheVehicleAccountForeignKey.ConstraintName};");
    }

    // A constraint cannot be "unvalidated"; 202612021030's down drops it.
    public override void Down()
    {
    }

    private static void StopIfMismatched(IDbConnection connection, IDbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CountMismatchesSql;
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (count > 0)
        {
            throw new CacheAccountMismatchException(count, ListMismatchesSql);
        }
    }
}
