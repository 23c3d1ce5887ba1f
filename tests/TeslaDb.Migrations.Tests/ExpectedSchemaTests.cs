using TeslaDb.Migrations.Verify;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The expected-schema files that <c>verify</c> compares against are exactly what the migrations build: generated
/// from a freshly migrated database, never written by hand. A migration that changes the schema fails this test
/// until the file is regenerated (TESLADB_UPDATE_BASELINES=1) and the diff reviewed.
/// </summary>
public sealed class ExpectedSchemaTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Committed_expected_schema_matches_a_freshly_migrated_database(bool supabase)
    {
        await using var db = await TestDatabase.CreateAsync();
        if (supabase)
        {
            await SupabaseLookalike.InstallAsync(db);
        }

        await new Runner.TeslaDbMigrator(new Runner.MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        var actual = ExpectedSchema.Format(await SchemaCatalog.CaptureAsync(connection, supabase, TestContext.Current.CancellationToken));

        var path = Path.Combine(RepositoryFiles.Root, "src", "TeslaDb.Migrations", "Verify", "Expected", ExpectedSchema.FileName(supabase));
        if (RepositoryFiles.Updating)
        {
            await File.WriteAllTextAsync(path, actual, TestContext.Current.CancellationToken);
            Assert.Skip($"{path} rewritten: rebuild (it is embedded), rerun without {RepositoryFiles.UpdateVariable}, review the diff.");
        }

        Assert.True(
            actual == await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken),
            $"{path} differs from the schema the migrations build. If the change is intended, run TESLADB_UPDATE_BASELINES=1 scripts/test.sh and review the diff.");
        // What the assembly embeds is that file.
        Assert.Equal(ExpectedSchema.Parse(actual).ToList(), ExpectedSchema.Load(supabase));
    }
}
