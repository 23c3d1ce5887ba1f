using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A user's mistake, run through the real command: one line on stderr that says what to do, the documented exit
/// code, no stack trace, and never the password.
/// </summary>
public sealed class BadInputTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private const string Secret = "S3cr3t-pa55-w0rd";
    private readonly TestDatabase _db = fixture.Database;

    public static TheoryData<string, string[], int, string> Mistakes()
    {
        return new()
        {
            { "malformed keyword string", ["status", "-c", $"Host=localhost;Password={Secret};Port"], ExitCodes.Usage, "malformed" },
            { "misspelt keyword", ["status", "-c", $"Hots=localhost;Password={Secret}"], ExitCodes.Usage, "'hots' of the connection string is not an Npgsql keyword" },
            { "bad URL", ["status", "-c", $"postgresql://postgres:{Secret}@:5432/db"], ExitCodes.Usage, "URL is malformed" },
            { "bad URL port", ["status", "-c", $"postgresql://postgres:{Secret}@localhost:port/db"], ExitCodes.Usage, "URL is malformed" },
            { "unsupported URL parameter", ["status", "-c", $"postgresql://postgres:{Secret}@localhost/db?pgbouncer=true"], ExitCodes.Usage, "'pgbouncer'" },
            { "bad sslmode", ["status", "-c", $"postgresql://postgres:{Secret}@localhost/db?sslmode=maybe"], ExitCodes.Usage, "sslmode 'maybe'" },
            { "unknown host", ["status", "-c", $"Host=no-such-host.invalid;Username=postgres;Password={Secret}"], ExitCodes.CannotConnect, "host 'no-such-host.invalid' is unknown" },
            { "unreachable port", ["status", "-c", $"Host=127.0.0.1;Port={ClosedPort.Next()};Username=postgres;Password={Secret}"], ExitCodes.CannotConnect, "nothing accepts connections at 127.0.0.1:" },
            { "unknown command", ["upp"], ExitCodes.Usage, "Unrecognized command or argument 'upp'" },
            { "no connection at all", ["status"], ExitCodes.Usage, "No database connection given" },
            { "not a version", ["up", "--to", "yesterday", "-c", "Host=localhost"], ExitCodes.Usage, "--to takes a migration version" },
            { "negative lock timeout", ["up", "--lock-timeout", "-5", "-c", "Host=localhost"], ExitCodes.Usage, "--lock-timeout takes a whole number of seconds, 0 or more, not '-5'" },
            // 0 would be PostgreSQL's "wait for ever": exactly what the option bounds.
            { "step lock timeout of 0", ["up", "--step-lock-timeout", "0", "-c", "Host=localhost"], ExitCodes.Usage, "--step-lock-timeout takes a number of seconds above 0" },
            { "no step lock attempts", ["up", "--step-lock-attempts", "0", "-c", "Host=localhost"], ExitCodes.Usage, "--step-lock-attempts takes a whole number of tries, 1 or more" },
            { "negative statement timeout", ["up", "--statement-timeout", "-1", "-c", "Host=localhost"], ExitCodes.Usage, "--statement-timeout takes a number of seconds from 0 (no limit) to 2147483" },
            // PostgreSQL holds its timeouts in milliseconds in an int.
            { "step lock timeout beyond what PostgreSQL holds", ["up", "--step-lock-timeout", "1e7", "-c", "Host=localhost"], ExitCodes.Usage, "--step-lock-timeout takes a number of seconds above 0 and at most 2147483" },
            { "timeout that is not a number", ["status", "--command-timeout", "soon", "-c", "Host=localhost"], ExitCodes.Usage, "--command-timeout takes a whole number of seconds, 0 (no limit) or more, not 'soon'" },
            { "unknown Supabase mode", ["status", "--supabase", "maybe", "-c", "Host=localhost"], ExitCodes.Usage, "--supabase takes auto, on or off, not 'maybe'" },
            // A value left out: the parser takes -c as the value and quotes the connection back as unplaced.
            { "URL where a value was expected", ["status", "--supabase", "-c", $"postgresql://postgres:{Secret}@localhost/db"], ExitCodes.Usage, "Unrecognized command or argument '<connection string hidden>'" },
            { "keyword string where a value was expected", ["up", "--lock-timeout", "-c", $"Host=localhost;Password={Secret}"], ExitCodes.Usage, "<connection string hidden>" },
            { "encrypt-tokens batch of 0", ["encrypt-tokens", "--batch-size", "0", "-c", "Host=localhost"], ExitCodes.Usage, "--batch-size takes a whole number of rows, 1 or more" },
        };
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Mistake_ends_in_one_line_and_its_exit_code(string mistake, string[] args, int exitCode, string expected)
    {
        var result = await CliRun.ProcessAsync(args);

        AssertOneCleanLine(result, exitCode, expected, mistake);
    }

    [Fact]
    public async Task Wrong_password_is_exit_3_and_never_printed_even_verbose()
    {
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = Secret };

        var plain = await CliRun.ProcessAsync(["status", "-c", wrong.ConnectionString]);
        var verbose = await CliRun.ProcessAsync(["up", "--verbose", "--json"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = wrong.ConnectionString });

        AssertOneCleanLine(plain, ExitCodes.CannotConnect, "password authentication failed for user", "wrong password");
        Assert.Equal(ExitCodes.CannotConnect, verbose.ExitCode);
        Assert.DoesNotContain(Secret, verbose.All, StringComparison.Ordinal);
        Assert.DoesNotContain(_db.Builder.Password!, verbose.All, StringComparison.Ordinal);
        Assert.Contains("\"exitCode\": 3", verbose.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_required_by_a_server_without_it_is_exit_3_saying_so()
    {
        // scripts/test.sh's cluster runs without TLS (so this runs in CI); a server with TLS lets the connection through.
        Assert.SkipWhen(await _db.ScalarAsync<string>("SHOW ssl") != "off", "the test server offers TLS (TESLADB_TEST_CONNECTION points elsewhere than scripts/test.sh's cluster)");
        var tls = new Npgsql.NpgsqlConnectionStringBuilder(_db.ConnectionString) { SslMode = Npgsql.SslMode.Require, Password = Secret };

        var result = await CliRun.ProcessAsync(["status", "--verbose", "-c", tls.ConnectionString]);

        Assert.Equal(ExitCodes.CannotConnect, result.ExitCode);
        Assert.StartsWith($"tesladb-migrate: Cannot connect: {_db.Builder.Host}:{_db.Builder.Port} does not offer TLS and SSL Mode=Require requires it", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_exit_3_naming_the_database()
    {
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(_db.ConnectionString) { Database = "no_such_database" };

        var result = await CliRun.ProcessAsync(["up", "-c", missing.ConnectionString]);

        AssertOneCleanLine(result, ExitCodes.CannotConnect, "database 'no_such_database' does not exist", "missing database");
        Assert.DoesNotContain(_db.Builder.Password!, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pending_migrations_gate_exits_4_then_0_once_applied()
    {
        await using var fresh = await TestDatabase.CreateAsync();

        var before = await CliRun.ProcessAsync(["status", "--exit-code", "-c", fresh.Url]);
        var up = await CliRun.ProcessAsync(["up", "-c", fresh.Url]);
        var after = await CliRun.ProcessAsync(["status", "--exit-code", "-c", fresh.Url]);

        Assert.Equal(ExitCodes.PendingMigrations, before.ExitCode);
        Assert.Contains($"{KnownMigrations.Count} pending", before.Out, StringComparison.Ordinal);
        Assert.Equal(0, up.ExitCode);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("up to date", after.Out, StringComparison.Ordinal);
    }

    private static void AssertOneCleanLine(CliResult result, int exitCode, string expected, string because)
    {
        Assert.True(exitCode == result.ExitCode, $"{because}: {result}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tesladb-migrate: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.All, StringComparison.Ordinal);
    }
}
