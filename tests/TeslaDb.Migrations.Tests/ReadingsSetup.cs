using System.Globalization;
using TeslaDb.Migrations.TestMigrations.Concurrent;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>The Concurrent test migrations, run through the real command.</summary>
internal static class ReadingsSetup
{
    public static Task<CliResult> RunAsync(params string[] args) =>
        CliRun.InProcessAsync(args, migrationAssemblies: [typeof(CreateReadings).Assembly], migrationNamespace: typeof(CreateReadings).Namespace);

    /// <summary>The readings table created and given a duplicate code, so that the unique index build fails.</summary>
    public static async Task CreateWithDuplicateAsync(TestDatabase db)
    {
        var created = await RunAsync("up", "--to", CreateReadings.VersionNumber.ToString(CultureInfo.InvariantCulture), "-c", db.ConnectionString);
        Assert.True(created.ExitCode == 0, created.ToString());
        await db.ExecuteAsync("INSERT INTO public.readings (id, code) VALUES (1001, 1)");
    }

    /// <summary>pg_index.indisvalid of the index, or null when there is no such index.</summary>
    public static async Task<bool?> IsValidAsync(TestDatabase db, string index) =>
        (bool?)await db.ScalarAsync("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(@name)", ("name", $"public.{index}"));

    public static Task<long> VersionRowsAsync(TestDatabase db, long version) =>
        db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE version = @v", ("v", version));
}
