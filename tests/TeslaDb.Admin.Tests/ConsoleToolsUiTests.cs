using System.Text;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;
using TeslaDb.Admin.Views;
using Terminal.Gui.Input;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>Copy, export, sort, watch and the keys typed while busy, on the real views with Terminal.Gui's driver.</summary>
public sealed class ConsoleToolsUiTests(AdminFixture fixture) : IClassFixture<AdminFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tesladb-ui-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Copy_sends_osc_52_with_the_row_and_with_the_json_and_never_a_token()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("copy-ui@example.com", vehicles: 1);
        await ExportTests.StoreSecretResponseAsync(fixture, seeded, ct);
        var clipboard = new List<string>();
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("copy-ui@"), Key.Enter]),
            When("values hidden", s => s.Contains("filter 'copy-ui@'", StringComparison.Ordinal) && s.Contains("values hidden", StringComparison.Ordinal), new Key('c')),
            When("Copied the selected row", Key.Enter),
            When("Tesla 0", Key.Enter),
            When("secret_probe", new Key('/')),
            When("Endpoint name", [.. Type("secret_probe"), Key.Enter]),
            When("filter 'secret_probe'", Key.Enter),
            When("\"battery_level\": 80", new Key('c')),
            When("Copied the JSON of secret_probe", new Key('q')),
        ], options: new ConsoleOptions(TimeSpan.FromSeconds(2), Clipboard: clipboard.Add));

        Assert.Equal(2, clipboard.Count);
        var copied = clipboard.Select(Decode).ToList();
        Assert.Contains("\"email\":\"copy-ui@example.com\"", copied[0], StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{seeded.Account.Id}\"", copied[0], StringComparison.Ordinal);
        Assert.Contains("\"battery_level\": 80", copied[1], StringComparison.Ordinal);
        Assert.Contains(SecretMask.Hidden, copied[1], StringComparison.Ordinal);
        Assert.All(copied, c => Assert.DoesNotContain("SECRET", c, StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_writes_every_page_of_the_list_to_the_file_the_prompt_proposes()
    {
        var seeded = await fixture.SeedAccountAsync("export-ui@example.com", vehicles: 1);
        var vin = seeded.Vehicles[0].Vin;
        await using var session = fixture.Session(pageSize: 2);
        var outcome = Run(session,
        [
            When("rows 1–", new Key('g')),
            When("Go to a vehicle", [.. Type(vin), Key.Enter]),
            When($"› {vin}   (rows 1–2 · page 1 · more below", new Key('>')),
            When("File to write every row of this list to", Key.Enter),
            When("Exported 6 rows to", new Key('q')),
        ], options: new ConsoleOptions(TimeSpan.FromSeconds(2), ExportFolder: _folder));

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.EndsWith(".csv", file, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(7, lines.Length);
        Assert.Equal(AdminFixture.Endpoints.Order(), lines.Skip(1).Select(l => l.Split(',')[3]).Order());
        Assert.Contains(outcome.Screens, s => s.Contains("Exported 6 rows to " + file, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sort_keys_reorder_the_responses_and_say_so_in_the_header()
    {
        var seeded = await fixture.SeedAccountAsync("sort-ui@example.com", vehicles: 1);
        var vin = seeded.Vehicles[0].Vin;
        await using var session = fixture.Session(pageSize: 10);
        Run(session,
        [
            When("rows 1–", new Key('g')),
            When("Go to a vehicle", [.. Type(vin), Key.Enter]),
            When($"› {vin}   (rows 1–6 · page 1 · end)", new Key('o')),
            When("sorted by expiry ↑", new Key('O')),
            When("sorted by expiry ↓", new Key('o')),
            When("sorted by fetched ↓", new Key('q')),
        ]);
    }

    [Fact]
    public async Task Watch_shows_a_row_written_meanwhile_after_a_tick_and_says_when_it_last_updated()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("watch-ui@example.com", vehicles: 1);
        var vehicle = seeded.Vehicles[0];
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('g')),
            When("Go to a vehicle", [.. Type(vehicle.Vin), Key.Enter]),
            When($"› {vehicle.Vin}   (rows 1–6", new Key('w')),
            // Written on the thread pool: blocking the UI thread on an await that wants to come back to it would hang.
            new("watching", s => s.Contains("[watch 1 s · updated", StringComparison.Ordinal), _ =>
                Task.Run(() => fixture.Cache.StoreManyAsync(
                    [new CacheWrite(seeded.Account.Id, vehicle.Id, "nearby_charging_sites", System.Text.Json.JsonDocument.Parse("{\"sites\": []}").RootElement, TimeSpan.FromHours(1))],
                    ct), ct).GetAwaiter().GetResult()),
            When("nearby_charging_sites", new Key('w')),
            When("[watch paused]", new Key('q')),
        ], options: new ConsoleOptions(TimeSpan.FromSeconds(1)));

        Assert.Contains(outcome.Screens, s => s.Contains("rows 1–7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_pressed_while_the_list_refreshes_waits_and_runs_after_it()
    {
        var seeded = await fixture.SeedAccountAsync("queue-ui@example.com", vehicles: 1);
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("queue-ui@"), Key.Enter]),
            // F5 starts a refresh; Enter arrives while it runs (the same turn of the loop), and used to be refused.
            When("filter 'queue-ui@'", s => s.Contains("filter 'queue-ui@'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal), Key.F5, Key.Enter),
            When("Accounts › queue-ui@example.com", new Key('q')),
        ]);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("Still busy", StringComparison.Ordinal));
        Assert.Contains(outcome.Screens, s => s.Contains(seeded.Vehicles[0].Vin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_keys_pressed_while_the_list_refreshes_all_run_in_order()
    {
        var user = Guid.NewGuid();
        foreach (var n in new[] { 1, 2, 3 })
        {
            await fixture.SeedAccountAsync($"multi-queue-{n}@example.com", vehicles: 1, user: user);
        }

        var listed = await fixture.Accounts.BrowseAsync("multi-queue-", cancellationToken: TestContext.Current.CancellationToken);
        var third = listed.Items[2].Email;
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("multi-queue-"), Key.Enter]),
            // Three keys wait behind F5's refresh. They used to go round the queue for ever (each replayed key was
            // queued again behind the others) and the console stopped answering.
            When("filter 'multi-queue-'", s => s.Contains("filter 'multi-queue-'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal),
                Key.F5, new Key('j'), new Key('j'), Key.Enter),
            When($"Accounts › {third}", new Key('q')),
        ]);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("Still busy", StringComparison.Ordinal));
        Assert.Null(outcome.Fatal);
    }

    private static string Decode(string sequence)
    {
        Assert.StartsWith("\u001b]52;c;", sequence, StringComparison.Ordinal);
        Assert.EndsWith("\u0007", sequence, StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(sequence["\u001b]52;c;".Length..^1]));
    }
}
