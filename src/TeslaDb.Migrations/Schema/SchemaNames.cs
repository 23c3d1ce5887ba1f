namespace TeslaDb.Migrations.Schema;

/// <summary>Names the migrations create, in one place so that the tests and the tool read the same ones.</summary>
public static class SchemaNames
{
    /// <summary>Where the tables live: the seed's SQL names them unqualified, so they resolve through public.</summary>
    public const string Public = "public";

    /// <summary>
    /// The schema of the migration version table. Kept out of <c>public</c> so that Supabase's API never exposes
    /// it and its advisor does not flag it.
    /// </summary>
    public const string VersionSchema = "tesladb";
    public const string VersionTable = "version_info";

    public const string TeslaAccounts = "tesla_accounts";
    public const string Tokens = "tokens";
    public const string Vehicles = "vehicles";
    public const string VehicleDataCache = "vehicle_data_cache";
    public const string TeslaApiBackoff = "tesla_api_backoff";
    public const string CleanupExpiredCache = "cleanup_expired_cache";

    /// <summary>The record of every purge run from tesladb-admin (in <see cref="VersionSchema"/>, never exposed by Supabase's API).</summary>
    public const string AdminJournal = "admin_journal";
}
