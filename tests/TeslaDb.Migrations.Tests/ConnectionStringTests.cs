using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Keyword strings and postgres:// URLs (as Supabase hands them out) reach the same database.</summary>
public sealed class ConnectionStringTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    // Every character a URL must percent-encode, and a few a keyword string must quote.
    private const string AwkwardPassword = "p@ss:w/rd#?&=%;\"' é";

    private readonly TestDatabase _db = fixture.Database;

    [Fact]
    public async Task Url_with_a_percent_encoded_password_logs_in_as_that_role()
    {
        var role = "tesladb_url_" + Guid.NewGuid().ToString("N")[..8];
        await _db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{AwkwardPassword.Replace("'", "''", StringComparison.Ordinal)}'");
        var url = $"postgresql://{role}:{Uri.EscapeDataString(AwkwardPassword)}@{_db.Builder.Host}:{_db.Builder.Port}/{_db.Name}?sslmode=disable&application_name=url-test";

        var builder = TeslaDbConnectionString.Parse(url);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_user || ' ' || current_setting('application_name')", connection);

        Assert.Equal($"{role} url-test", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal(AwkwardPassword, builder.Password);
        Assert.Equal(SslMode.Disable, builder.SslMode);
        Assert.DoesNotContain(AwkwardPassword, TeslaDbConnectionString.Describe(builder), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_accepts_each_source_in_order_flag_then_TESLADB_CONNECTION_then_ConnectionStrings()
    {
        var bad = "Host=no-such-host.invalid;Username=x;Password=y";

        var fromFlag = await CliRun.InProcessAsync(["status", "-c", _db.Url], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = bad });
        var fromVariable = await CliRun.InProcessAsync(["status"], new Dictionary<string, string?>
        {
            ["TESLADB_CONNECTION"] = _db.ConnectionString,
            ["ConnectionStrings:TeslaDb"] = bad,
        });
        var fromConnectionStrings = await CliRun.InProcessAsync(["status"], new Dictionary<string, string?> { ["ConnectionStrings:TeslaDb"] = _db.Url });

        foreach (var result in new[] { fromFlag, fromVariable, fromConnectionStrings })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"Migrations of {_db.Description} (plain PostgreSQL):", result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("postgres://u:p@db.example.com/postgres", "db.example.com", 5432, "postgres")]
    [InlineData("postgresql://postgres.abcdefghijkl:p@aws-0-eu-west-1.pooler.supabase.com:5432/postgres?sslmode=require", "aws-0-eu-west-1.pooler.supabase.com", 5432, "postgres")]
    [InlineData("postgresql://u:p@[::1]:6543/my%20db", "::1", 6543, "my db")]
    [InlineData("Host=10.0.0.5;Port=5433;Username=u;Password=\"a;b\";Database=d", "10.0.0.5", 5433, "d")]
    public void Parses_host_port_and_database(string text, string host, int port, string database)
    {
        var builder = TeslaDbConnectionString.Parse(text);

        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
    }

    [Fact]
    public void A_url_with_several_hosts_becomes_an_npgsql_multi_host_string_with_each_port()
    {
        // libpq's form, as Patroni, CloudNativePG and failover guides write it.
        var builder = TeslaDbConnectionString.Parse("postgresql://u:p%40ss@db1.example.com:5433,db2.example.com,10.0.0.7:6432/app?target_session_attrs=read-write&sslmode=require");

        Assert.Equal("db1.example.com:5433,db2.example.com:5432,10.0.0.7:6432", builder.Host);
        Assert.Equal(("u", "p@ss", "app", "read-write", SslMode.Require), (builder.Username, builder.Password, builder.Database, builder.TargetSessionAttributes, builder.SslMode));
        Assert.Equal("u@db1.example.com:5433,db2.example.com:5432,10.0.0.7:6432/app", TeslaDbConnectionString.Describe(builder));
    }

    [Theory]
    [InlineData("Host=db1,db2;Port=5433;Database=d", "db1:5433,db2:5433/d")]
    [InlineData("Host=db1:5434,db2;Database=d", "db1:5434,db2:5432/d")]
    [InlineData("Host=h:5433;Database=d", "h:5433/d")]
    [InlineData("Host=::1;Port=5433;Database=d", "[::1]:5433/d")]
    [InlineData("postgresql://u@[::1]:6543,[::2]/d", "u@[::1]:6543,[::2]:5432/d")]
    [InlineData("postgresql://app@db.example.com", "app@db.example.com:5432/app")]
    [InlineData("Host=h", "h:5432")]
    public void Describe_gives_each_host_its_port_once(string text, string expected) =>
        Assert.Equal(expected, TeslaDbConnectionString.Describe(TeslaDbConnectionString.Parse(text)));

    // What a parser quotes back as an unplaced argument: a connection is hidden, an ordinary argument is not.
    [Theory]
    [InlineData("postgresql://u:topsecret@h/db", true)]
    [InlineData("Host=h;Password=topsecret", true)]
    [InlineData("Password=topsecret", true)]
    [InlineData("--bogus=1", false)]
    [InlineData("upp", false)]
    public void Connections_quoted_back_by_a_parser_are_hidden(string argument, bool hidden)
    {
        var message = TeslaDbConnectionString.HideConnections($"Unrecognized command or argument '{argument}'.", ["status", argument]);

        Assert.Equal(hidden ? "Unrecognized command or argument '<connection string hidden>'." : $"Unrecognized command or argument '{argument}'.", message);
    }

    // Supabase's transaction pooler is a *.pooler.supabase.com host on 6543 — any host of a list, each with its own port.
    [Theory]
    [InlineData("postgresql://u:p@aws-0-eu-west-1.pooler.supabase.com:6543/postgres", "aws-0-eu-west-1.pooler.supabase.com")]
    [InlineData("postgresql://u:p@db.abcdefghijkl.supabase.co:5432,aws-0-eu-west-1.pooler.supabase.com:6543/postgres", "aws-0-eu-west-1.pooler.supabase.com")]
    [InlineData("Host=db1, AWS-0-EU-WEST-1.Pooler.Supabase.com;Port=6543;Database=d", "AWS-0-EU-WEST-1.Pooler.Supabase.com")]
    [InlineData("Host=aws-0-eu-west-1.pooler.supabase.com:6543,db2;Port=5432;Database=d", "aws-0-eu-west-1.pooler.supabase.com")]
    [InlineData("postgresql://u:p@aws-0-eu-west-1.pooler.supabase.com:5432/postgres", null)]
    [InlineData("Host=aws-0-eu-west-1.pooler.supabase.com:5432,db2;Port=6543;Database=d", null)]
    [InlineData("Host=pooler.supabase.com.example.net;Port=6543;Database=d", null)]
    [InlineData("Host=db1,db2;Port=6543;Database=d", null)]
    public void A_Supabase_transaction_pooler_is_recognised_in_any_host_of_a_list(string text, string? expected)
    {
        var found = TeslaDbConnectionString.IsSupabaseTransactionPooler(TeslaDbConnectionString.Parse(text), out var host, out var port);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, host);
        Assert.Equal(expected is null ? 0 : 6543, port);
    }

    [Fact]
    public async Task A_url_whose_hosts_are_all_down_says_where_it_tried_in_one_line()
    {
        int[] ports = [ClosedPort.Next(), ClosedPort.Next()];

        var result = await CliRun.InProcessAsync(["status", "-c", $"postgresql://postgres:topsecret@127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}/d"], new Dictionary<string, string?>());

        Assert.Equal(ExitCodes.CannotConnect, result.ExitCode);
        Assert.Contains($"nothing accepts connections at 127.0.0.1:{ports[0]},127.0.0.1:{ports[1]};", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_whose_first_host_is_down_connects_through_the_next()
    {
        var deadPort = ClosedPort.Next();
        var url = $"postgresql://{_db.Builder.Username}:{Uri.EscapeDataString(_db.Builder.Password!)}@127.0.0.1:{deadPort},{_db.Builder.Host}:{_db.Builder.Port}/{_db.Name}";

        var result = await CliRun.InProcessAsync(["status", "-c", url], new Dictionary<string, string?>());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"127.0.0.1:{deadPort},{_db.Builder.Host}:{_db.Builder.Port}/{_db.Name}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Supabase_pooler_user_and_sslmode_come_through()
    {
        var builder = TeslaDbConnectionString.Parse("postgresql://postgres.abcdefghijkl:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres?sslmode=require&connect_timeout=7");

        Assert.Equal("postgres.abcdefghijkl", builder.Username);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
    }

    [Theory]
    [InlineData("Host=h;Password=topsecret;oops", "malformed")]
    [InlineData("Host=h;Password=top;secret=1", "not an Npgsql keyword")]
    [InlineData("postgresql://u:topsecret@/db", "malformed")]
    [InlineData("postgresql://u:topsecret@h/db?password2=topsecret", "does not support")]
    [InlineData("postgresql://u:topsecret@db1:5432,db2:notaport/app", "several hosts as host1:5432,host2:5432")]
    [InlineData("postgresql://u:topsecret@db1:5432,,db2/app", "several hosts as host1:5432,host2:5432")]
    [InlineData("postgresql://u:topsecret@db1,:5432/app", "several hosts as host1:5432,host2:5432")]
    public void Errors_say_what_is_wrong_and_never_repeat_the_password(string text, string expected)
    {
        var error = Assert.Throws<ConnectionStringException>(() => TeslaDbConnectionString.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
