using Npgsql;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// tesladb.admin_journal (migration 202612024000): created with its constraints; on Supabase row level security is
/// on and no client role reads or writes it, even with the schema made usable to it.
/// </summary>
public sealed class AdminJournalMigrationTests(SupabaseDatabaseFixture fixture) : IClassFixture<SupabaseDatabaseFixture>
{
    private const string Insert =
        "INSERT INTO tesladb.admin_journal (os_user, os_host, action, scope_kind, scope, rows_counted, rows_deleted, duration_ms, outcome) VALUES ('ops', 'box', 'purge', 'expired', 'cleanup_expired_cache()', 3, 3, 12, '{0}')";

    [Theory]
    [InlineData("anon")]
    [InlineData("authenticated")]
    public async Task No_client_role_reads_or_writes_the_journal_on_supabase(string role)
    {
        var db = fixture.Database;
        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "completed"));
        // Even if someone grants the schema to the API roles, the table itself stays closed.
        await db.ExecuteAsync("GRANT USAGE ON SCHEMA tesladb TO anon, authenticated");

        Assert.True(await db.ScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE oid = 'tesladb.admin_journal'::regclass"));
        var read = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(db, Guid.NewGuid(),
            "SELECT count(*) FROM tesladb.admin_journal", c => c.ExecuteScalarAsync(TestContext.Current.CancellationToken), role));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, read.SqlState);
        var write = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(db, Guid.NewGuid(),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "completed"), c => c.ExecuteNonQueryAsync(TestContext.Current.CancellationToken), role));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
    }

    [Fact]
    public async Task The_outcome_is_one_of_completed_cancelled_failed_and_the_role_defaults_to_the_session_user()
    {
        var db = fixture.Database;
        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "cancelled"));
        var bad = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "maybe")));
        Assert.Equal(PostgresErrorCodes.CheckViolation, bad.SqlState);
        Assert.Equal(await db.ScalarAsync<string>("SELECT current_user::text"),
            await db.ScalarAsync<string>("SELECT database_role FROM tesladb.admin_journal WHERE outcome = 'cancelled' ORDER BY id DESC LIMIT 1"));
    }
}
