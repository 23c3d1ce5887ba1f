using FluentMigrator;

// Two editions of one migration: the same version, the second edited after the first was applied.
// A test applies Original, then runs the tool over Edited and expects the edit to be reported.
namespace TeslaDb.Migrations.TestMigrations.Checksums.Original
{
    [Migration(TestMigrations.Checksums.Probe.Version, "Add probe")]
    public sealed class AddProbe : Migration
    {
        public override void Up() => Create.Table(TestMigrations.Checksums.Probe.Table).InSchema("public").WithColumn("id").AsInt32();

        public override void Down() => Delete.Table(TestMigrations.Checksums.Probe.Table).InSchema("public");
    }
}

namespace TeslaDb.Migrations.TestMigrations.Checksums.Edited
{
    [Migration(TestMigrations.Checksums.Probe.Version, "Add probe")]
    public sealed class AddProbe : Migration
    {
        public override void Up() => Create.Table(TestMigrations.Checksums.Probe.Table).InSchema("public").WithColumn("id").AsInt64();

        public override void Down() => Delete.Table(TestMigrations.Checksums.Probe.Table).InSchema("public");
    }
}

namespace TeslaDb.Migrations.TestMigrations.Checksums
{
    public static class Probe
    {
        public const long Version = 209902010000;
        public const string Table = "probe";
        public const string OriginalNamespace = "TeslaDb.Migrations.TestMigrations.Checksums.Original";
        public const string EditedNamespace = "TeslaDb.Migrations.TestMigrations.Checksums.Edited";
    }
}
