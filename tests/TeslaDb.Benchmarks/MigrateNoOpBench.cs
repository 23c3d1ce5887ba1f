using System.Diagnostics;
using System.Globalization;
using System.Text;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>
/// <c>tesladb-migrate up</c> and <c>status</c> on a database that is already up to date (what CI runs on every
/// build), against the floor of any client process: <c>psql -c 'select 1'</c> on the same database. The in-process
/// calls show what is ours once the process has started.
/// </summary>
internal static class MigrateNoOpBench
{
    /// <summary>The tool as its linux-x64 package ships it (published with ReadyToRun); scripts/bench.sh publishes it
    /// and names its tesladb-migrate.dll here. Unset: only the build output (JIT at every start) is measured.</summary>
    private static string? ReadyToRun => Environment.GetEnvironmentVariable("TESLADB_BENCH_MIGRATE_R2R") is { Length: > 0 } path ? path : null;

    /// <summary>The tool as scripts/publish-aot.sh migrate builds it (Native AOT, no runtime start); scripts/bench.sh
    /// publishes it and names the executable here. Unset: not measured.</summary>
    internal static string? NativeAot => Environment.GetEnvironmentVariable("TESLADB_BENCH_MIGRATE_AOT") is { Length: > 0 } path ? path : null;

    public static async Task<string> RunAsync(
        BenchOptions options,
        string command,
        Func<string, string[], Dictionary<string, string?>, Task<string>> runProcess,
        Func<BenchDatabase, Dictionary<string, string?>> psqlEnvironment)
    {
        await using var db = await options.CreateDatabaseAsync("noop");
        var environment = new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.ConnectionString };
        await runProcess("dotnet", [command, "up"], environment);
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString });
        (string Name, Func<Task> Run)[] variants =
        [
            ("`psql -c 'select 1'` (process)", () => runProcess("psql", ["-X", "-q", "-c", "select 1"], psqlEnvironment(db))),
            ("`tesladb-migrate up`, nothing pending (process)", () => runProcess("dotnet", [command, "up"], environment)),
            ("`tesladb-migrate status` (process)", () => runProcess("dotnet", [command, "status"], environment)),
            .. ReadyToRun is { } r2r
                ? new (string, Func<Task>)[]
                {
                    ("`tesladb-migrate up`, nothing pending (process, ReadyToRun: published -r linux-x64)", () => runProcess("dotnet", [r2r, "up"], environment)),
                    ("`tesladb-migrate status` (process, ReadyToRun: published -r linux-x64)", () => runProcess("dotnet", [r2r, "status"], environment)),
                }
                : [],
            .. NativeAot is { } aot
                ? new (string, Func<Task>)[]
                {
                    ("`tesladb-migrate up`, nothing pending (process, Native AOT: scripts/publish-aot.sh migrate)", () => runProcess(aot, ["up"], environment)),
                    ("`tesladb-migrate status` (process, Native AOT: scripts/publish-aot.sh migrate)", () => runProcess(aot, ["status"], environment)),
                }
                : [],
            ("TeslaDbMigrator.UpAsync, nothing pending (in-process, warm)", () => migrator.UpAsync()),
            ("TeslaDbMigrator.GetStatusAsync (in-process, warm)", () => migrator.GetStatusAsync()),
        ];
        foreach (var (_, run) in variants)
        {
            await run(); // warm-up: disk cache, the in-process JIT
        }

        var rounds = options.Quick ? 3 : 10;
        var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var (name, run) = variants[(round + k) % variants.Length];
                var watch = Stopwatch.StartNew();
                await run();
                samples[name].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var psql = Median(samples[variants[0].Name]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### `up` and `status` with nothing pending, {rounds} interleaved runs{options.QuickNote}");
        text.AppendLine();
        text.AppendLine("| variant | median ms | min ms | max ms | ratio to psql |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in variants)
        {
            var values = samples[name];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(values):0} | {values.Min():0} | {values.Max():0} | {Measure.Ratio(Median(values) / psql)} |");
        }

        return text.ToString();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
