using System.Globalization;
using Npgsql;
using TeslaDb.Migrations.TestMigrations.Blocked;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>A login without the privileges a migration needs is told which privilege on which object, and the
/// grant that gives it (it used to get "Unexpected error: 42501").</summary>
public sealed class PrivilegeMessageTests
{
    [Fact]
    public async Task A_login_without_privileges_is_told_what_is_missing_on_which_object_and_what_to_grant()
    {
        await using var db = await TestDatabase.CreateAsync();
        var login = "tesladb_weak_" + Guid.NewGuid().ToString("N")[..8];
        var password = Guid.NewGuid().ToString("N");
        await db.ExecuteAsync($"CREATE ROLE {login} LOGIN PASSWORD '{password}'");
        try
        {
            var weak = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = login, Password = password }.ConnectionString;

            // First the run cannot even create the schema of its version table.
            var noSchema = await RunAsync(weak);
            Assert.Equal(ExitCodes.MigrationFailed, noSchema.ExitCode);
            var line = Assert.Single(noSchema.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"permission denied for database {db.Name}", line, StringComparison.Ordinal);
            Assert.Contains($"GRANT CREATE ON DATABASE {db.Name} TO {login}", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Unexpected error", line, StringComparison.Ordinal);

            // Given that, and the version table, it gets as far as a migration altering a table it does not own.
            var created = await CliRun.InProcessAsync(
                ["up", "--to", CreateGauges.VersionNumber.ToString(CultureInfo.InvariantCulture), "-c", db.ConnectionString],
                migrationAssemblies: [typeof(CreateGauges).Assembly],
                migrationNamespace: typeof(CreateGauges).Namespace);
            Assert.Equal(0, created.ExitCode);
            await db.ExecuteAsync($"GRANT CREATE ON DATABASE \"{db.Name}\" TO {login}; ALTER SCHEMA tesladb OWNER TO {login}; ALTER TABLE tesladb.version_info OWNER TO {login}");

            var notOwner = await RunAsync(weak);

            Assert.Equal(ExitCodes.MigrationFailed, notOwner.ExitCode);
            line = Assert.Single(notOwner.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Migration {AddGaugeUnit.VersionNumber} (Add a column to gauges) failed and was rolled back", line, StringComparison.Ordinal);
            Assert.Contains("must be owner of table gauges", line, StringComparison.Ordinal);
            Assert.Contains($"ALTER TABLE gauges OWNER TO {login}", line, StringComparison.Ordinal);
            Assert.DoesNotContain(password, notOwner.All, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync($"REVOKE ALL ON DATABASE \"{db.Name}\" FROM {login}; REASSIGN OWNED BY {login} TO CURRENT_USER; DROP OWNED BY {login}");
            await db.ExecuteAsync($"DROP ROLE {login}");
        }
    }

    private static Task<CliResult> RunAsync(string connection) =>
        CliRun.InProcessAsync(["up", "-c", connection], migrationAssemblies: [typeof(CreateGauges).Assembly], migrationNamespace: typeof(CreateGauges).Namespace);
}
