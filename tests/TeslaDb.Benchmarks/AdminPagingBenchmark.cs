using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using TeslaDb.Admin.Core;

namespace TeslaDb.Benchmarks;

/// <summary>
/// The console's data layer over a loaded database (scripts/bench.sh loads scripts/sample-data.sql with 1M cached
/// responses): the first page of each list after connecting, a page step, and the process's memory while scrolling.
/// The same Core classes the views call, without a terminal.
/// </summary>
internal static class AdminPagingBenchmark
{
    public static async Task<string> RunAsync(string connectionString, bool quick)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var rounds = quick ? 3 : 9;
        var ct = CancellationToken.None;
        long cacheRows;
        List<string> vins;
        List<string> emails;
        await using (var probe = AdminSession.Open(builder, readOnly: true))
        {
            cacheRows = await probe.Cache.CountAsync(TeslaDb.Access.Cache.CacheFilter.All, ct);
            // Prefixes and e-mails that exist whatever the size loaded.
            vins = [.. (await probe.Vehicles.BrowseAsync(null, null, null, 1_000, ct)).Items.Select(v => v.Vin[..12])];
            emails = [.. (await probe.Accounts.BrowseAsync(null, null, 1_000, ct)).Items.Select(a => a.Email).OfType<string>().Select(e => e[..e.IndexOf('@', StringComparison.Ordinal)] + "@")];
        }

        // First page after connect: a new session (new pool, so a new connection and a cold statement cache) each round.
        var firstAccounts = new List<double>();
        var firstVehicles = new List<double>();
        var firstCache = new List<double>();
        var emailFilter = new List<double>();
        var vinJump = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            NpgsqlConnection.ClearAllPools();
            await using var session = AdminSession.Open(builder, readOnly: true);
            var navigator = new Navigator(session);
            firstAccounts.Add(await TimeAsync(() => navigator.StartAsync(ct)));
            firstVehicles.Add(await TimeAsync(() => navigator.OpenAsync(i, ct)));
            firstCache.Add(await TimeAsync(() => navigator.OpenAsync(0, ct)));
            var accounts = new AccountsScreen(session);
            emailFilter.Add(await TimeAsync(() => accounts.ApplyFilterAsync(emails[i * 97 % emails.Count], ct)));
            var jump = new Navigator(session);
            vinJump.Add(await TimeAsync(() => jump.JumpToVinAsync(vins[i * 89 % vins.Count], ct)));
        }

        // Page steps forward through the account list and the all-vehicles VIN list, memory read before and after.
        await using var scroll = AdminSession.Open(builder, readOnly: true);
        var list = new AccountsScreen(scroll);
        await list.LoadFirstAsync(ct);
        var vehicles = await VehiclesScreen.WithVinAsync(scroll, "5", ct);
        var steps = quick ? 50 : 1000;
        var accountSteps = new List<double>();
        var vehicleSteps = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            await list.NextPageAsync(ct);
            await vehicles.NextPageAsync(ct);
        }

        var (managedBefore, workingBefore) = Memory();
        for (var i = 0; i < steps; i++)
        {
            accountSteps.Add(await TimeAsync(() => list.NextPageAsync(ct)));
            vehicleSteps.Add(await TimeAsync(() => vehicles.NextPageAsync(ct)));
        }

        var (managedAfter, workingAfter) = Memory();
        var back = await TimeAsync(() => list.PreviousPageAsync(ct));

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Admin console data layer over {cacheRows:#,0} cached responses{(quick ? " (--quick)" : string.Empty)}");
        text.AppendLine();
        text.AppendLine("| operation | median ms | max ms | goal |");
        text.AppendLine("| --- | ---: | ---: | --- |");
        Row(text, $"first page of accounts, new connection ({rounds} runs)", firstAccounts, "≤ 300 ms");
        Row(text, "first page of an account's vehicles", firstVehicles, "≤ 300 ms");
        Row(text, "first page of a vehicle's cached responses", firstCache, "≤ 300 ms");
        Row(text, "accounts filtered by part of an e-mail (scan)", emailFilter, "≤ 300 ms");
        Row(text, "jump by VIN prefix", vinJump, "≤ 300 ms");
        Row(text, $"page step, accounts ({steps} steps of 100)", accountSteps, "≤ 50 ms");
        Row(text, $"page step, vehicles by VIN prefix ({steps} steps of 100)", vehicleSteps, "≤ 50 ms");
        Row(text, "page back, accounts", [back], "≤ 50 ms");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Memory while scrolling {steps * 2:#,0} pages ({steps * 200:#,0} rows): managed heap {managedBefore / 1024.0 / 1024:0.0} → {managedAfter / 1024.0 / 1024:0.0} MB, working set {workingBefore / 1024.0 / 1024:0} → {workingAfter / 1024.0 / 1024:0} MB.");
        return text.ToString();
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true), process.WorkingSet64);
    }

    private static void Row(StringBuilder text, string name, List<double> samples, string goal)
    {
        var sorted = samples.Order().ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {sorted[sorted.Count / 2]:0.00} | {sorted[^1]:0.00} | {goal} |");
    }
}
