using FluentMigrator;
using TeslaDb.Migrations.Plan;

// Three editions of one change to an existing, populated table (public.gadgets, made by the test): the blocking way,
// the safe way, and the blocking way acknowledged. The plan tests run 'plan' over each namespace.
namespace TeslaDb.Migrations.TestMigrations.Plan.Unsafe
{
    [Migration(Gadgets.Version, "Index and stamp gadgets the blocking way")]
    public sealed class IndexGadgets : Migration
    {
        public override void Up()
        {
            Execute.Sql($"CREATE INDEX {Gadgets.Index} ON public.{Gadgets.Table} (name);");
            Execute.Sql($"ALTER TABLE public.{Gadgets.Table} ADD COLUMN stamped_at timestamptz DEFAULT clock_timestamp();");
        }

        public override void Down() => throw new NotSupportedException("planned only");
    }
}

namespace TeslaDb.Migrations.TestMigrations.Plan.Safe
{
    [Migration(Gadgets.Version, TransactionBehavior.None, "Index and stamp gadgets without blocking writes")]
    public sealed class IndexGadgets : Migration
    {
        public override void Up()
        {
            Execute.Sql($"CREATE INDEX CONCURRENTLY IF NOT EXISTS {Gadgets.Index} ON public.{Gadgets.Table} (name);");
            Execute.Sql($"ALTER TABLE public.{Gadgets.Table} ADD COLUMN stamped_at timestamptz DEFAULT now();");
        }

        public override void Down() => throw new NotSupportedException("planned only");
    }
}

namespace TeslaDb.Migrations.TestMigrations.Plan.Acknowledged
{
    [Migration(Gadgets.Version, "Index and stamp gadgets the blocking way, on purpose")]
    [LintAllow("TDB001", Gadgets.Reason)]
    [LintAllow("TDB007", Gadgets.Reason, Table = "public." + Gadgets.Table)]
    public sealed class IndexGadgets : Migration
    {
        public override void Up()
        {
            Execute.Sql($"CREATE INDEX {Gadgets.Index} ON public.{Gadgets.Table} (name);");
            Execute.Sql($"ALTER TABLE public.{Gadgets.Table} ADD COLUMN stamped_at timestamptz DEFAULT clock_timestamp();");
        }

        public override void Down() => throw new NotSupportedException("planned only");
    }
}

namespace TeslaDb.Migrations.TestMigrations.Plan
{
    public static class Gadgets
    {
        public const long Version = 209903010000;
        public const string Table = "gadgets";
        public const string Index = "idx_gadgets_name";
        public const string Reason = "gadgets is read by nobody during the maintenance window";
        public const string UnsafeNamespace = "TeslaDb.Migrations.TestMigrations.Plan.Unsafe";
        public const string SafeNamespace = "TeslaDb.Migrations.TestMigrations.Plan.Safe";
        public const string AcknowledgedNamespace = "TeslaDb.Migrations.TestMigrations.Plan.Acknowledged";
    }
}

namespace TeslaDb.Migrations.TestMigrations.Plan.UnguardedDown
{
    /// <summary>A Down the data-loss guard cannot read (a list of tables): 'down' would drop the rows without refusing.</summary>
    [Migration(Keepsakes.Version, "Create keepsakes")]
    public sealed class CreateKeepsakes : Migration
    {
        public override void Up() => Execute.Sql($"CREATE TABLE public.{Keepsakes.Table} (id bigint PRIMARY KEY)");

        // A list of tables: the guard reads the first name only, so only the lint (TDB008) sees the second.
        public override void Down() => Execute.Sql($"DROP TABLE IF EXISTS public.{Keepsakes.Table}_archive, public.{Keepsakes.Table}");
    }

    public static class Keepsakes
    {
        public const long Version = 209903020000;
        public const string Table = "keepsakes";
    }
}
