using System.Diagnostics;
using System.Globalization;
using System.Text;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>
/// <c>tesladb-migrate up</c> on an empty database (a real process, as CI runs it) against psql applying the SQL that
/// <c>tesladb-migrate script</c> prints; and the same migrations applied in-process by a warm
/// <see cref="TeslaDbMigrator"/>, which shows what the command's start-up costs. Each run gets a new empty database,
/// created and dropped outside the timing.
/// </summary>
internal static class MigrateBench
{
    public static async Task<string> RunAsync(BenchOptions options)
    {
        var command = Path.Combine(AppContext.BaseDirectory, "tesladb-migrate.dll");
        if (!File.Exists(Path.ChangeExtension(command, ".runtimeconfig.json")))
        {
            throw new InvalidOperationException($"{command} has no runtimeconfig beside it: build tests/TeslaDb.Benchmarks");
        }

        var scriptFile = Path.Combine(Path.GetTempPath(), $"tesladb-bench-{Guid.NewGuid():N}.sql");
        try
        {
            await using (var empty = await options.CreateDatabaseAsync("script"))
            {
                var script = await RunProcessAsync("dotnet", [command, "script"], new() { ["TESLADB_CONNECTION"] = empty.ConnectionString });
                await File.WriteAllTextAsync(scriptFile, script);
            }

            var rounds = options.Quick ? 2 : 6;
            (string Name, Func<BenchDatabase, Task> Run)[] variants =
            [
                ("`tesladb-migrate up` (process)", db => RunProcessAsync("dotnet", [command, "up"], new() { ["TESLADB_CONNECTION"] = db.ConnectionString })),
                ("`psql -f` of `tesladb-migrate script`", db => RunProcessAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", scriptFile], PsqlEnvironment(db))),
                ("TeslaDbMigrator.UpAsync (in-process, warm)", db => new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync()),
                .. MigrateNoOpBench.NativeAot is { } aot
                    ? new (string, Func<BenchDatabase, Task>)[]
                    {
                        ("`tesladb-migrate up` (process, Native AOT: scripts/publish-aot.sh migrate)", db => RunProcessAsync(aot, ["up"], new() { ["TESLADB_CONNECTION"] = db.ConnectionString })),
                    }
                    : [],
            ];

            // Warm-up: each once (disk cache, the in-process JIT).
            foreach (var (_, run) in variants)
            {
                await using var db = await options.CreateDatabaseAsync("migrate");
                await run(db);
            }

            var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                for (var k = 0; k < variants.Length; k++)
                {
                    var (name, run) = variants[(round + k) % variants.Length];
                    await using var db = await options.CreateDatabaseAsync("migrate");
                    var watch = Stopwatch.StartNew();
                    await run(db);
                    samples[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var psql = Median(samples[variants[1].Name]);
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"### Migrating an empty database ({File.ReadAllLines(scriptFile).Length} lines of SQL), {rounds} interleaved runs{options.QuickNote}");
            text.AppendLine();
            text.AppendLine("| variant | median ms | min ms | max ms | ratio to psql |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var (name, _) in variants)
            {
                var values = samples[name];
                text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(values):0} | {values.Min():0} | {values.Max():0} | {Measure.Ratio(Median(values) / psql)} |");
            }

            text.AppendLine();
            text.Append(await MigrateNoOpBench.RunAsync(options, command, RunProcessAsync, PsqlEnvironment));
            return text.ToString();
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    internal static Dictionary<string, string?> PsqlEnvironment(BenchDatabase db) => new()
    {
        ["PGHOST"] = db.Builder.Host,
        ["PGPORT"] = db.Builder.Port.ToString(CultureInfo.InvariantCulture),
        ["PGUSER"] = db.Builder.Username,
        ["PGPASSWORD"] = db.Builder.Password,
        ["PGDATABASE"] = db.Name,
    };

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal static async Task<string> RunProcessAsync(string file, string[] args, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("TESLADB_CONNECTION");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args.LastOrDefault()} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
