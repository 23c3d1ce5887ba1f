using System.Text.Json;
using Npgsql;
using TeslaDb.Migrations.Plan;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.TestMigrations.Plan;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// <c>plan</c> against a real, populated table: the lock, rows and rewrite it reports are what PostgreSQL does (the
/// locks read back from pg_locks, the rewrites from the table's file node), and the command's exit code and JSON.
/// </summary>
public sealed class PlanTests : IClassFixture<PlanTests.GadgetsFixture>
{
    private const int GadgetRows = 20_000;

    private readonly TestDatabase _db;

    public PlanTests(GadgetsFixture fixture) => _db = fixture.Database;

    /// <summary>An empty database with public.gadgets holding <see cref="GadgetRows"/> analysed rows, and the
    /// owners table its foreign keys point to.</summary>
    public sealed class GadgetsFixture : EmptyDatabaseFixture
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            await Database.ExecuteAsync($"""
                CREATE TABLE public.owners (id bigint PRIMARY KEY);
                INSERT INTO public.owners VALUES (1);
                CREATE TABLE public.{Gadgets.Table} (id bigint PRIMARY KEY, name text, owner_id bigint, n int);
                INSERT INTO public.{Gadgets.Table} SELECT g, 'gadget ' || g, 1, g FROM generate_series(1, {GadgetRows}) g;
                ANALYZE public.{Gadgets.Table};
                CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE FUNCTION public.draw_ticket() RETURNS bigint VOLATILE LANGUAGE sql AS 'SELECT (random() * 1000)::bigint';
                """);
        }
    }

    [Fact]
    public async Task Plan_reports_the_lock_rows_and_rewrite_of_each_statement_on_a_populated_table()
    {
        var plan = await PlanAsync(Gadgets.UnsafeNamespace);

        var migration = Assert.Single(plan.Migrations);
        Assert.True(migration.InTransaction);
        Assert.Collection(
            migration.Statements,
            index =>
            {
                Assert.Equal(LockMode.Share, index.Lock);
                Assert.Equal("public.gadgets", index.Table);
                Assert.Equal(GadgetRows, index.EstimatedRows);
                Assert.False(index.NewTable);
                Assert.Equal(TableAccess.Scan, index.Access);
                Assert.Equal("TDB001", Assert.Single(index.Findings).Rule.Id);
            },
            stamp =>
            {
                Assert.Equal(LockMode.AccessExclusive, stamp.Lock);
                Assert.Equal(GadgetRows, stamp.EstimatedRows);
                Assert.Equal(TableAccess.Rewrite, stamp.Access);
                var finding = Assert.Single(stamp.Findings);
                Assert.Equal("TDB007", finding.Rule.Id);
                Assert.Contains("public.gadgets.stamped_at (clock_timestamp())", finding.Message, StringComparison.Ordinal);
            });
        Assert.Equal(2, plan.Violations.Count());
    }

    [Fact]
    public async Task The_safe_edition_plans_a_concurrent_build_and_no_rewrite()
    {
        var plan = await PlanAsync(Gadgets.SafeNamespace);

        var migration = Assert.Single(plan.Migrations);
        Assert.False(migration.InTransaction);
        Assert.Equal([LockMode.ShareUpdateExclusive, LockMode.AccessExclusive], migration.Statements.Select(s => s.Lock));
        Assert.Equal([TableAccess.Scan, TableAccess.None], migration.Statements.Select(s => s.Access));
        Assert.Empty(plan.Findings);
        Assert.True(plan.IsClean);
    }

    [Fact]
    public async Task Cli_exits_12_on_a_violation_and_its_json_lists_statements_with_findings()
    {
        var result = await CliRun.InProcessAsync(
            ["plan", "--json", "-c", _db.ConnectionString], migrationAssemblies: [typeof(Gadgets).Assembly], migrationNamespace: Gadgets.UnsafeNamespace);

        Assert.True(result.ExitCode == ExitCodes.LintViolations, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("2 lint violation(s) (TDB001, TDB007)", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.False(root.GetProperty("clean").GetBoolean());
        Assert.Equal(2, root.GetProperty("violations").GetInt32());
        var migration = Assert.Single(root.GetProperty("migrations").EnumerateArray());
        Assert.Equal(Gadgets.Version, migration.GetProperty("version").GetInt64());
        Assert.True(migration.GetProperty("inTransaction").GetBoolean());
        var index = migration.GetProperty("statements")[0];
        Assert.Equal("SHARE", index.GetProperty("lock").GetString());
        Assert.True(index.GetProperty("blocksWrites").GetBoolean());
        Assert.Equal("public.gadgets", index.GetProperty("table").GetString());
        Assert.Equal(GadgetRows, index.GetProperty("estimatedRows").GetInt64());
        Assert.Equal("scan", index.GetProperty("access").GetString());
        Assert.StartsWith("CREATE INDEX idx_gadgets_name", index.GetProperty("sql").GetString(), StringComparison.Ordinal);
        var finding = Assert.Single(index.GetProperty("findings").EnumerateArray());
        Assert.Equal("TDB001", finding.GetProperty("rule").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.False(finding.GetProperty("allowed").GetBoolean());
        Assert.Contains("CONCURRENTLY", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("rewrite", migration.GetProperty("statements")[1].GetProperty("access").GetString());
    }

    [Fact]
    public async Task Cli_exits_0_when_the_migration_acknowledges_its_findings_and_lint_is_an_alias()
    {
        var result = await CliRun.InProcessAsync(
            ["lint", "-c", _db.ConnectionString], migrationAssemblies: [typeof(Gadgets).Assembly], migrationNamespace: Gadgets.AcknowledgedNamespace);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("20,000", result.Out, StringComparison.Ordinal);
        Assert.Contains($"because: {Gadgets.Reason}", result.Out, StringComparison.Ordinal);
        Assert.Contains("0 violation(s), 0 warning(s), 2 acknowledged.", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Plan_all_reads_a_migration_whose_down_refuses_to_run()
    {
        var plan = await new MigrationPlanner(new MigratorOptions
        {
            ConnectionString = _db.ConnectionString,
            MigrationAssemblies = [typeof(Gadgets).Assembly],
            MigrationNamespace = Gadgets.UnsafeNamespace,
        }).PlanAsync(all: true, TestContext.Current.CancellationToken);

        var migration = Assert.Single(plan.Migrations);
        Assert.Empty(migration.DownFindings);
        Assert.Equal(["TDB001", "TDB007"], plan.Violations.Select(v => v.Rule.Id));
    }

    [Fact]
    public async Task Applied_migrations_are_left_out_unless_all_is_given()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync(cancellationToken: TestContext.Current.CancellationToken);

        var pending = await new MigrationPlanner(new MigratorOptions { ConnectionString = db.ConnectionString }).PlanAsync(cancellationToken: TestContext.Current.CancellationToken);
        var all = await new MigrationPlanner(new MigratorOptions { ConnectionString = db.ConnectionString }).PlanAsync(all: true, TestContext.Current.CancellationToken);
        var cli = await CliRun.InProcessAsync(["plan", "-c", db.ConnectionString]);

        Assert.Empty(pending.Migrations);
        Assert.Equal(KnownMigrations.Count, all.Migrations.Count);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("0 pending migration(s)", cli.Out, StringComparison.Ordinal);
    }

    /// <summary>Each statement runs in a transaction on the populated table; the strongest lock its backend then
    /// holds on the table (pg_locks) must be the one the plan claims, and a claimed rewrite must change the table's
    /// file node (and only then).</summary>
    [Theory]
    [InlineData("CREATE INDEX gadgets_n ON public.gadgets (n)", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD CONSTRAINT gadgets_owner FOREIGN KEY (owner_id) REFERENCES public.owners (id)", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD CONSTRAINT gadgets_owner FOREIGN KEY (owner_id) REFERENCES public.owners (id) NOT VALID", null, null)]
    [InlineData("ALTER TABLE public.gadgets VALIDATE CONSTRAINT gadgets_n_positive", "ALTER TABLE public.gadgets ADD CONSTRAINT gadgets_n_positive CHECK (n > 0) NOT VALID", "ALTER TABLE public.gadgets DROP CONSTRAINT gadgets_n_positive")]
    [InlineData("ALTER TABLE public.gadgets ADD CONSTRAINT gadgets_n_positive CHECK (n > 0)", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD CONSTRAINT gadgets_name_unique UNIQUE (name)", null, null)]
    [InlineData("ALTER TABLE public.gadgets ALTER COLUMN name SET NOT NULL", null, null)]
    [InlineData("ALTER TABLE public.gadgets ALTER COLUMN n TYPE bigint", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD COLUMN made_at timestamptz DEFAULT now()", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD COLUMN made_at timestamptz DEFAULT clock_timestamp()", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()", null, null)]
    [InlineData("ALTER TABLE public.gadgets ADD COLUMN seq bigserial", null, null)]
    [InlineData("ALTER TABLE public.gadgets DROP COLUMN n", null, null)]
    [InlineData("ALTER TABLE public.gadgets SET (fillfactor = 70)", null, null)]
    [InlineData("ALTER TABLE public.gadgets ENABLE ROW LEVEL SECURITY", null, null)]
    [InlineData("CREATE POLICY gadgets_all ON public.gadgets USING (true)", null, null)]
    [InlineData("CREATE TRIGGER gadgets_touch BEFORE UPDATE ON public.gadgets FOR EACH ROW EXECUTE FUNCTION public.touch()", null, null)]
    [InlineData("DROP INDEX public.gadgets_name_idx", "CREATE INDEX gadgets_name_idx ON public.gadgets (name)", "DROP INDEX public.gadgets_name_idx")]
    [InlineData("LOCK TABLE public.gadgets IN SHARE ROW EXCLUSIVE MODE", null, null)]
    [InlineData("UPDATE public.gadgets SET n = n + 1 WHERE id = 1", null, null)]
    public async Task Planned_lock_and_rewrite_are_what_PostgreSQL_does(string sql, string? setup, string? teardown)
    {
        var classified = StatementClassifier.Classify(SqlTokenizer.Tokens(sql));
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        if (setup is not null)
        {
            await _db.ExecuteAsync(setup);
        }

        var (taken, rewritten) = await RunAndRollBackAsync(connection, sql);
        if (teardown is not null)
        {
            await _db.ExecuteAsync(teardown);
        }

        Assert.Equal(classified.Lock, taken);
        Assert.Equal(classified.Access == TableAccess.Rewrite, rewritten);
    }

    [Fact]
    public async Task A_default_calling_a_volatile_function_of_the_database_is_a_rewrite_as_PostgreSQL_does()
    {
        const string sql = "ALTER TABLE public.gadgets ADD COLUMN ticket bigint DEFAULT public.draw_ticket()";
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        var catalog = await CatalogFacts.ReadAsync(connection, TestContext.Current.CancellationToken);

        var plan = PlanBuilder.Build([new MigrationSource(1, "ticket", true, [sql], [])], catalog, supabase: false);
        var (_, rewritten) = await RunAndRollBackAsync(connection, sql);

        var statement = Assert.Single(plan.Migrations[0].Statements);
        Assert.Equal(TableAccess.Rewrite, statement.Access);
        Assert.Equal(GadgetRows, statement.EstimatedRows);
        Assert.Contains("(draw_ticket())", Assert.Single(statement.Findings).Message, StringComparison.Ordinal);
        Assert.True(rewritten);
    }

    [Fact]
    public async Task A_validated_not_null_check_in_the_database_makes_set_not_null_pass()
    {
        await _db.ExecuteAsync("ALTER TABLE public.owners ADD COLUMN label text DEFAULT 'x'; ALTER TABLE public.owners ADD CONSTRAINT owners_label_present CHECK (label IS NOT NULL)");
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        var catalog = await CatalogFacts.ReadAsync(connection, TestContext.Current.CancellationToken);
        MigrationSource Source(string column) =>
            new(1, "set not null", true, [$"ALTER TABLE public.owners ALTER COLUMN {column} SET NOT NULL"], []);

        var proven = PlanBuilder.Build([Source("label")], catalog, supabase: false);
        var unproven = PlanBuilder.Build([Source("id")], catalog, supabase: false);

        Assert.Empty(proven.Findings);
        Assert.Equal("TDB005", Assert.Single(unproven.Findings).Rule.Id);
    }

    private Task<MigrationPlan> PlanAsync(string ns) => new MigrationPlanner(new MigratorOptions
    {
        ConnectionString = _db.ConnectionString,
        MigrationAssemblies = [typeof(Gadgets).Assembly],
        MigrationNamespace = ns,
    }).PlanAsync(cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Runs <paramref name="sql"/> in a transaction that is rolled back, returning the strongest lock the
    /// transaction held on public.gadgets and whether the table's file node changed (a rewrite).</summary>
    private static async Task<(LockMode Lock, bool Rewritten)> RunAndRollBackAsync(NpgsqlConnection connection, string sql)
    {
        var before = await ScalarAsync<uint>(connection, null, "SELECT pg_relation_filenode('public.gadgets')::oid");
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, sql);
        var taken = await StrongestAsync(connection, transaction);
        var after = await ScalarAsync<uint>(connection, transaction, "SELECT pg_relation_filenode('public.gadgets')::oid");
        await transaction.RollbackAsync();
        return (taken, before != after);
    }

    private static async Task<LockMode> StrongestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand(
            "SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = 'public.gadgets'::regclass AND pid = pg_backend_pid() AND granted",
            connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var strongest = LockMode.None;
        while (await reader.ReadAsync())
        {
            var mode = Enum.Parse<LockMode>(reader.GetString(0).Replace("Lock", string.Empty, StringComparison.Ordinal));
            strongest = mode > strongest ? mode : strongest;
        }

        return strongest;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
