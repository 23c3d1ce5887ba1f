using System.Reflection;
using TeslaDb.Migrations.Plan;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.TestMigrations.Plan.UnguardedDown;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// Each lint rule fires on the unsafe statement and stays quiet on its safe recipe; tables created in the same
/// migration are exempt; the tokenizer is not fooled by comments, strings or function bodies. And the guard: every
/// migration of the project, including those added after this test, passes the lint (or acknowledges why not).
/// </summary>
public sealed class LintRulesTests
{
    /// <summary>public.things is an existing table (not created by the migration under test).</summary>
    [Theory]
    [InlineData("TDB001", new[] { "CREATE INDEX things_a ON public.things (a)" }, new[] { "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_a ON public.things (a)" }, false)]
    [InlineData("TDB002", new[] { "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_a ON public.things (a)" }, new[] { "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_a ON public.things (a)" }, false)]
    [InlineData("TDB003", new[] { "ALTER TABLE public.things ADD CONSTRAINT fk_things_owner FOREIGN KEY (owner_id) REFERENCES public.owners (id)" }, new[] { "ALTER TABLE public.things ADD CONSTRAINT fk_things_owner FOREIGN KEY (owner_id) REFERENCES public.owners (id) NOT VALID", "ALTER TABLE public.things VALIDATE CONSTRAINT fk_things_owner" }, true)]
    [InlineData("TDB004", new[] { "ALTER TABLE things ADD CONSTRAINT things_a_positive CHECK (a > 0)" }, new[] { "ALTER TABLE things ADD CONSTRAINT things_a_positive CHECK (a > 0) NOT VALID", "ALTER TABLE things VALIDATE CONSTRAINT things_a_positive" }, true)]
    [InlineData("TDB005", new[] { "ALTER TABLE public.things ALTER COLUMN a SET NOT NULL" }, new[] { "ALTER TABLE public.things ADD CONSTRAINT things_a_present CHECK (a IS NOT NULL) NOT VALID", "ALTER TABLE public.things VALIDATE CONSTRAINT things_a_present", "ALTER TABLE public.things ALTER COLUMN a SET NOT NULL", "ALTER TABLE public.things DROP CONSTRAINT things_a_present" }, true)]
    [InlineData("TDB006", new[] { "ALTER TABLE public.things ALTER COLUMN a TYPE bigint" }, new[] { "ALTER TABLE public.things ADD COLUMN a_wide bigint" }, true)]
    [InlineData("TDB006", new[] { "ALTER TABLE public.things ALTER a SET DATA TYPE bigint USING a::bigint" }, new[] { "ALTER TABLE public.things ALTER COLUMN a SET DEFAULT 0" }, true)]
    [InlineData("TDB007", new[] { "ALTER TABLE public.things ADD COLUMN made_at timestamptz DEFAULT clock_timestamp()" }, new[] { "ALTER TABLE public.things ADD COLUMN made_at timestamptz DEFAULT now()" }, true)]
    [InlineData("TDB007", new[] { "ALTER TABLE public.things ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()" }, new[] { "ALTER TABLE public.things ADD COLUMN token uuid", "ALTER TABLE public.things ALTER COLUMN token SET DEFAULT gen_random_uuid()" }, true)]
    [InlineData("TDB007", new[] { "ALTER TABLE public.things ADD COLUMN n bigserial" }, new[] { "ALTER TABLE public.things ADD COLUMN n bigint" }, true)]
    [InlineData("TDB008", new[] { "DROP TABLE IF EXISTS public.things CASCADE" }, new[] { "ALTER TABLE public.things RENAME TO things_retired" }, true)]
    [InlineData("TDB008", new[] { "ALTER TABLE public.things DROP COLUMN IF EXISTS a" }, new[] { "ALTER TABLE public.things ALTER COLUMN a DROP NOT NULL" }, true)]
    [InlineData("TDB008", new[] { "TRUNCATE public.things" }, new[] { "DELETE FROM public.things WHERE a < 0" }, true)]
    [InlineData("TDB009", new[] { "DROP INDEX public.things_a" }, new[] { "DROP INDEX CONCURRENTLY IF EXISTS public.things_a" }, false)]
    [InlineData("TDB010", new[] { "ALTER TABLE public.things ADD CONSTRAINT things_a_unique UNIQUE (a)" }, new[] { "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_a_unique ON public.things (a)", "ALTER TABLE public.things ADD CONSTRAINT things_a_unique UNIQUE USING INDEX things_a_unique" }, false)]
    [InlineData("TDB011", new[] { "ALTER TABLE public.things ADD COLUMN b integer NOT NULL" }, new[] { "ALTER TABLE public.things ADD COLUMN b integer NOT NULL DEFAULT 0" }, true)]
    public void Each_rule_fires_on_the_unsafe_form_and_not_on_its_safe_recipe(string rule, string[] unsafeCommands, string[] safeCommands, bool safeInTransaction)
    {
        // TDB002's unsafe form is its safe form run inside the migration's transaction.
        var unsafeInTransaction = rule == "TDB002" || safeInTransaction;

        var found = Lint(unsafeInTransaction, unsafeCommands);
        var clean = Lint(safeInTransaction, safeCommands);

        var finding = Assert.Single(found.Findings);
        Assert.Equal(rule, finding.Rule.Id);
        Assert.Equal(finding.Rule.Severity == LintSeverity.Error, finding.IsViolation);
        Assert.Contains("things", finding.Message, StringComparison.Ordinal);
        Assert.Empty(clean.Findings);
    }

    [Fact]
    public void A_concurrent_build_batched_with_another_statement_fires_TDB002_outside_a_transaction_too()
    {
        var batched = Lint(false, "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_a ON public.things (a); CREATE INDEX CONCURRENTLY IF NOT EXISTS things_b ON public.things (b);");

        Assert.Equal(["TDB002", "TDB002"], batched.Findings.Select(f => f.Rule.Id));
        Assert.Contains("shares its command", batched.Findings.First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_created_in_the_same_migration_are_exempt_but_not_in_a_later_one_nor_when_adopted()
    {
        var create = """CREATE TABLE "public"."widgets" (id bigint PRIMARY KEY, owner_id bigint, a integer)""";
        var index = "CREATE INDEX widgets_a ON public.widgets (a)";
        var foreignKey = "ALTER TABLE public.widgets ADD CONSTRAINT fk_widgets_owner FOREIGN KEY (owner_id) REFERENCES public.owners (id)";
        var notNull = "ALTER TABLE widgets ALTER COLUMN a SET NOT NULL";

        var same = Lint(true, create, index, foreignKey, notNull);
        var later = PlanBuilder.Build([Source(1, true, create), Source(2, true, index, foreignKey, notNull)], null, supabase: false);
        var adopted = Lint(true, "CREATE TABLE IF NOT EXISTS public.widgets (id bigint PRIMARY KEY, owner_id bigint, a integer)", index);

        Assert.Empty(same.Findings);
        Assert.All(same.Migrations[0].Statements, s => Assert.True(s.NewTable));
        Assert.Equal(0, same.Migrations[0].Statements[1].EstimatedRows);
        Assert.Equal(["TDB001", "TDB003", "TDB005"], later.Findings.Select(f => f.Rule.Id));
        Assert.Equal("TDB001", Assert.Single(adopted.Findings).Rule.Id);
    }

    [Fact]
    public void Comments_strings_quoted_names_and_function_bodies_are_not_read_as_statements()
    {
        var sql = """
            -- CREATE INDEX in_a_comment ON public.things (a);
            /* nested /* CREATE INDEX still_a_comment ON public.things (a); */ DROP TABLE public.things; */
            CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
                CREATE INDEX in_a_body ON public.things (a);
                ALTER TABLE public.things ALTER COLUMN a TYPE bigint;
            END
            $body$;
            COMMENT ON TABLE public.things IS 'DROP TABLE public.things; it''s text';
            SELECT E'CREATE INDEX x ON public.things (a)\';', $$ ; TRUNCATE public.things $$;
            CREATE INDEX "Things_A" ON "Public"."Things;Odd" ("A")
            """;

        var statements = SqlTokenizer.Statements(sql);
        var plan = Lint(true, sql);

        Assert.Equal(4, statements.Count);
        Assert.Equal(["CREATE FUNCTION", "COMMENT ON TABLE", "SELECT", "CREATE INDEX"], plan.Migrations[0].Statements.Select(s => s.Summary));
        var finding = Assert.Single(plan.Findings);
        Assert.Equal("TDB001", finding.Rule.Id);
        Assert.Equal("Public.Things;Odd", plan.Migrations[0].Statements[3].Table);
    }

    [Fact]
    public void LintAllow_acknowledges_a_rule_with_its_reason_only_for_its_table_and_only_with_a_reason()
    {
        var sql = new[] { "CREATE INDEX things_a ON public.things (a)", "CREATE INDEX others_a ON public.others (a)" };

        var all = PlanBuilder.Build([Source(1, true, sql) with { Allows = [new LintAllowAttribute("TDB001", "small table")] }], null, false);
        var one = PlanBuilder.Build([Source(1, true, sql) with { Allows = [new LintAllowAttribute("TDB001", "small table") { Table = "public.things" }] }], null, false);
        var noReason = PlanBuilder.Build([Source(1, true, sql) with { Allows = [new LintAllowAttribute("TDB001", " ")] }], null, false);

        Assert.True(all.IsClean);
        Assert.All(all.Findings, f => Assert.Equal("small table", f.AllowedBecause));
        Assert.StartsWith("TDB001 public.others:", Assert.Single(one.Violations).Message, StringComparison.Ordinal);
        Assert.Equal(2, noReason.Violations.Count());
    }

    [Fact]
    public void Drops_in_a_down_that_the_data_loss_guard_cannot_read_fire_TDB008()
    {
        MigrationPlan Down(params string[] commands) =>
            PlanBuilder.Build([Source(1, true) with { DownCommands = commands }], null, supabase: false);

        var readable = Down(
            """DROP TABLE "public"."things";""", "ALTER TABLE public.things DROP COLUMN a", """ALTER TABLE "public"."things" DROP COLUMN "b";""",
            "DROP FUNCTION public.f()", "DROP TABLE IF EXISTS public.things", "DROP TABLE things",
            "ALTER TABLE public.things DROP COLUMN IF EXISTS a", "ALTER TABLE ONLY public.things DROP a");
        var unreadable = Down("DROP TABLE public.one, public.two", "TRUNCATE public.things");

        Assert.Empty(readable.Findings);
        Assert.Equal(
            ["public.two", "public.things"],
            unreadable.Migrations[0].DownFindings.Select(f => f.Message.Split(' ')[1]));
        Assert.All(unreadable.Findings, f => Assert.Equal("TDB008", f.Rule.Id));
    }

    /// <summary>Why TDB008 reads Downs: the guard really does miss such a drop, and 'down' loses the rows.</summary>
    [Fact]
    public async Task A_down_flagged_by_the_lint_is_one_the_data_loss_guard_lets_through()
    {
        await using var db = await TestDatabase.CreateAsync();
        var assemblies = new[] { typeof(Keepsakes).Assembly };
        var only = typeof(Keepsakes).Namespace;
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString], migrationAssemblies: assemblies, migrationNamespace: only)).ExitCode);
        await db.ExecuteAsync($"INSERT INTO public.{Keepsakes.Table} VALUES (1)");

        var lint = await CliRun.InProcessAsync(["lint", "--all", "-c", db.ConnectionString], migrationAssemblies: assemblies, migrationNamespace: only);
        var down = await CliRun.InProcessAsync(["down", "--to", "0", "-c", db.ConnectionString], migrationAssemblies: assemblies, migrationNamespace: only);

        Assert.True(lint.ExitCode == 12, lint.ToString());
        Assert.Contains("in its Down:", lint.Out, StringComparison.Ordinal);
        Assert.Contains($"TDB008 public.{Keepsakes.Table} in Down", lint.Out, StringComparison.Ordinal);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Null(await db.ScalarAsync($"SELECT to_regclass('public.{Keepsakes.Table}')::text"));
    }

    /// <summary>THE guard: every migration of TeslaDb, in both modes (Supabase adds statements), passes the lint. A
    /// migration added later by anyone is read from the assembly, so it cannot slip through.</summary>
    [Theory]
    [InlineData(SupabaseMode.Off)]
    [InlineData(SupabaseMode.On)]
    public async Task Every_migration_of_the_project_passes_the_lint(SupabaseMode mode)
    {
        await using var db = await TestDatabase.CreateAsync();

        var plan = await new MigrationPlanner(new MigratorOptions { ConnectionString = db.ConnectionString, Supabase = mode })
            .PlanAsync(all: true, TestContext.Current.CancellationToken);

        Assert.Equal(KnownMigrations.Count, plan.Migrations.Count);
        Assert.True(plan.Migrations.Sum(m => m.Statements.Count) > KnownMigrations.Count, "the SQL of the migrations was not read");
        Assert.True(plan.IsClean, "Fix these or acknowledge them with [LintAllow(rule, reason)]:\n" + string.Join('\n', plan.Violations.Select(v => v.Message)));
    }

    [Fact]
    public async Task Every_acknowledgement_in_the_project_names_a_rule_gives_a_reason_and_is_still_needed()
    {
        var allows = typeof(TeslaDbMigrator).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<LintAllowAttribute>().Select(a => (Type: t, Allow: a)))
            .ToList();
        await using var db = await TestDatabase.CreateAsync();
        var plan = await new MigrationPlanner(new MigratorOptions { ConnectionString = db.ConnectionString, Supabase = SupabaseMode.On })
            .PlanAsync(all: true, TestContext.Current.CancellationToken);
        var used = plan.Migrations
            .SelectMany(m => m.Statements.SelectMany(s => s.Findings).Where(f => f.AllowedBecause is not null).Select(f => (m.Version, f.Rule.Id)))
            .ToHashSet();

        Assert.NotEmpty(allows);
        Assert.All(allows, a =>
        {
            Assert.Contains(a.Allow.Rule, LintRules.All.Select(r => r.Id));
            Assert.True(a.Allow.Reason.Length >= 20, $"{a.Type.Name}: say why {a.Allow.Rule} is acceptable there");
            var version = a.Type.GetCustomAttribute<FluentMigrator.MigrationAttribute>()!.Version;
            Assert.True(used.Contains((version, a.Allow.Rule)), $"{a.Type.Name} acknowledges {a.Allow.Rule}, which it no longer breaks: remove the attribute");
        });
    }

    [Fact]
    public async Task Docs_list_every_rule()
    {
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "docs", "migrations.md"), TestContext.Current.CancellationToken);

        Assert.All(LintRules.All, r => Assert.Contains($"| {r.Id} |", docs, StringComparison.Ordinal));
    }

    private static MigrationSource Source(long version, bool inTransaction, params string[] commands) =>
        new(version, "under test", inTransaction, commands, []);

    private static MigrationPlan Lint(bool inTransaction, params string[] commands) =>
        PlanBuilder.Build([Source(1, inTransaction, commands)], null, supabase: false);
}
