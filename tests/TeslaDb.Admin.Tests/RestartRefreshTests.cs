using Npgsql;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Admin.Core;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>
/// The server restarts under an open console (pg_ctl restart -m fast: the console's pooled connections die): the
/// first F5 shows the fresh list, not the closed connection. A server of the test's own.
/// </summary>
public sealed class RestartRefreshTests
{
    [Fact]
    public async Task The_first_refresh_after_a_server_restart_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await PrivateCluster.StartAsync(durable: false);
        var db = await cluster.CreateDatabaseAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString, Supabase = SupabaseMode.Off }).UpAsync(cancellationToken: ct);
        await using (var access = TeslaDbDatabase.Create(db.ConnectionString))
        {
            await new TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Before the restart", cancellationToken: ct);
        }

        await using var session = AdminSession.Open(db.Builder, readOnly: false);
        var outcome = Run(session,
        [
            new("the first list", s => s.Contains("Before the restart", StringComparison.Ordinal), app =>
            {
                // Off the console's thread: blocking it on an async call that resumes there would never return.
                Task.Run(async () =>
                {
                    await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
                    await connection.OpenAsync();
                    await using var insert = new NpgsqlCommand(
                        "INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'After the restart')", connection);
                    await insert.ExecuteNonQueryAsync();
                    await cluster.RestartAsync("fast");
                }).GetAwaiter().GetResult();
                app.InjectKey(Key.F5);
            }),
            When("After the restart", new Key('q')),
        ]);

        Assert.Null(outcome.Fatal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("try again", StringComparison.Ordinal) || s.Contains("administrator command", StringComparison.Ordinal));
    }
}
