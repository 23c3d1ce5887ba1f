using System.Globalization;
using System.Text;
using Npgsql;
using TeslaDb.Benchmarks;
using TeslaDb.Connection;

// Usage: TeslaDb.Benchmarks <connection to a server where we may create a database> [--quick] [--out FILE]
//                           [--only upsert,cache,cleanup,migrate,migrate-load,tokens] [--rows N] [--title TEXT]
//        TeslaDb.Benchmarks <connection> --fluentmigrator-race
//        TeslaDb.Benchmarks <connection to a database loaded by scripts/sample-data.sql> --admin-paging [--quick]
// Each section creates its own database on the server and drops it afterwards.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: TeslaDb.Benchmarks <connection string or URL> [--quick] [--out FILE] [--only upsert,cache,cleanup,migrate,migrate-load,tokens] [--rows N] [--title TEXT] | --fluentmigrator-race  (scripts/bench.sh runs it on a throwaway cluster)");
    return 2;
}

if (args.Contains("--fluentmigrator-race"))
{
    await FluentMigratorRace.RunAsync(TeslaDbConnectionString.Parse(args[0]));
    return 0;
}

if (args.Contains("--admin-paging"))
{
    // The connection names a database already loaded with sample data (scripts/bench.sh does it).
    Console.WriteLine(await AdminPagingBenchmark.RunAsync(TeslaDbConnectionString.Parse(args[0]).ConnectionString, args.Contains("--quick")));
    return 0;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

var options = new BenchOptions(TeslaDbConnectionString.Parse(args[0]), args.Contains("--quick"))
{
    CleanupRows = Option("--rows") is { } rows ? int.Parse(rows, CultureInfo.InvariantCulture) : null,
};
var outFile = Option("--out");
var title = Option("--title");
string[] all = ["upsert", "cache", "cleanup", "migrate", "migrate-load", "tokens"];
var only = Option("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? all;
if (only.Except(all).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"unknown section '{unknown}': use {string.Join(", ", all)}");
    return 2;
}

var report = new StringBuilder();
if (title is not null)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
}

foreach (var section in all.Where(only.Contains))
{
    Console.Error.WriteLine($"bench: {section}…");
    var text = section switch
    {
        "upsert" => await UpsertBench.RunAsync(options),
        "cache" => await CacheBench.RunAsync(options),
        "cleanup" => await CleanupBench.RunAsync(options),
        "migrate-load" => await MigrateUnderLoadBench.RunAsync(options),
        "tokens" => await TokenBench.RunAsync(options),
        _ => await MigrateBench.RunAsync(options),
    };
    Console.WriteLine(text);
    report.AppendLine(text);
}

if (outFile is not null)
{
    await File.AppendAllTextAsync(outFile, report.ToString());
}

return 0;
