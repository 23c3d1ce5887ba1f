using TeslaDb.Migrations.Runner;
using Xunit;

namespace TeslaDb.TestSupport;

/// <summary>Class fixture: an empty database of the test class's own.</summary>
public class EmptyDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    public virtual async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>Class fixture: a database of the test class's own with every TeslaDb migration applied.</summary>
public class MigratedDatabaseFixture : EmptyDatabaseFixture
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = Database.ConnectionString }).UpAsync();
    }
}

/// <summary>Class fixture: a database made to look like Supabase (<see cref="SupabaseLookalike"/>), migrated.</summary>
public class SupabaseDatabaseFixture : EmptyDatabaseFixture
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await SupabaseLookalike.InstallAsync(Database);
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = Database.ConnectionString }).UpAsync();
    }
}
