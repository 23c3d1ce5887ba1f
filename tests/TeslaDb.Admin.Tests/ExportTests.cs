using System.Text;
using System.Text.Json;
using TeslaDb.Access.Cache;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>Export writes every row of a multi-page list, page by page, as CSV or JSON Lines; never a token.</summary>
public sealed class ExportTests(AdminFixture fixture) : IClassFixture<AdminFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tesladb-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_row_of_a_multi_page_list_goes_to_csv_and_to_json_lines_in_the_list_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("export-list@example.com", vehicles: 7);
        await using var session = fixture.Session(pageSize: 2);
        var screen = new VehiclesScreen(session, seeded.Account);
        await screen.LoadFirstAsync(ct);
        await screen.SortAsync(1, descending: true, ct);

        var csv = Path.Combine(_folder, "vehicles.csv");
        var rows = await new ListExport(pageSize: 3).WriteListAsync(screen, csv, ct);
        Assert.Equal(7, rows);
        var lines = await File.ReadAllLinesAsync(csv, ct);
        Assert.Equal("id,tesla_account_id,vin,display_name,state,last_synced_at,sync_age_seconds", lines[0]);
        Assert.Equal(8, lines.Length);
        var expected = new List<Guid>();
        await screen.LoadFirstAsync(ct);
        do
        {
            expected.AddRange(screen.Items.Select(v => v.Id));
        }
        while (await screen.NextPageAsync(ct));
        Assert.Equal(expected, lines.Skip(1).Select(l => Guid.Parse(l.Split(',')[0])));
        Assert.False(File.Exists(csv + ".partial"));

        var jsonl = Path.Combine(_folder, "vehicles.jsonl");
        Assert.Equal(7, await new ListExport(pageSize: 2).WriteListAsync(screen, jsonl, ct));
        var objects = (await File.ReadAllLinesAsync(jsonl, ct)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected, objects.Select(o => o.GetProperty("id").GetGuid()));
        Assert.All(objects, o => Assert.StartsWith("5YJ", o.GetProperty("vin").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accounts_export_carries_no_token_and_csv_quotes_what_needs_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.SeedAccountAsync("export-accounts@example.com", vehicles: 1, name: "Dupont, \"Le\" garage");
        await using var session = fixture.Session(pageSize: 10);
        var screen = new AccountsScreen(session);
        await screen.ApplyFilterAsync("export-accounts@", ct);
        var path = Path.Combine(_folder, "accounts.csv");
        Assert.Equal(1, await new ListExport().WriteListAsync(screen, path, ct));
        var text = await File.ReadAllTextAsync(path, ct);
        Assert.Contains(",\"Dupont, \"\"Le\"\" garage\",export-accounts@example.com,true,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminFixture.AccessToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_open_json_is_exported_with_every_token_field_hidden()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("export-json@example.com", vehicles: 1);
        var response = await StoreSecretResponseAsync(seeded, ct);
        var path = Path.Combine(_folder, "response.json");
        await new ListExport().WriteJsonAsync(new ResponseScreen(response), path, ct);
        var text = await File.ReadAllTextAsync(path, ct);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(SecretMask.Hidden, json.GetProperty("access_token").GetString());
        Assert.Equal(SecretMask.Hidden, json.GetProperty("nested").GetProperty("refresh_token").GetString());
        Assert.Equal(80, json.GetProperty("battery_level").GetInt32());

        await Assert.ThrowsAsync<UserInputException>(() => new ListExport().WriteJsonAsync(new ResponseScreen(response), Path.Combine(_folder, "r.csv"), ct));
        var unknown = await Assert.ThrowsAsync<UserInputException>(() => new ListExport().WriteJsonAsync(new ResponseScreen(response), Path.Combine(_folder, "r.txt"), ct));
        Assert.Contains(".csv or .jsonl", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_export_leaves_no_file_and_a_folder_that_is_missing_is_one_clear_message()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("export-cancel@example.com", vehicles: 3);
        await using var session = fixture.Session(pageSize: 1);
        var screen = new VehiclesScreen(session, seeded.Account);
        await screen.LoadFirstAsync(ct);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var path = Path.Combine(_folder, "cancelled.csv");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ListExport(pageSize: 1).WriteListAsync(screen, path, cancel.Token));
        Assert.Empty(Directory.GetFiles(_folder));

        var missing = await Assert.ThrowsAsync<UserInputException>(() => new ListExport().WriteListAsync(screen, Path.Combine(_folder, "no-such-folder", "x.csv"), ct));
        Assert.StartsWith("Cannot write ", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Osc52_is_the_base64_of_the_text_between_esc_52_and_bel_and_says_why_when_it_cannot_be_sent()
    {
        var sent = new StringBuilder();
        var message = new Osc52Clipboard(s => sent.Append(s)).Copy("{\"vin\": \"5YJ3É\"}", "the row");
        Assert.Equal("\u001b]52;c;" + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"vin\": \"5YJ3É\"}")) + "\u0007", sent.ToString());
        Assert.StartsWith("Copied the row (", message, StringComparison.Ordinal);

        Assert.Contains("no terminal", new Osc52Clipboard(null).Copy("x", "the row"), StringComparison.Ordinal);
        sent.Clear();
        Assert.Contains("more than a terminal takes", new Osc52Clipboard(s => sent.Append(s)).Copy(new string('x', Osc52Clipboard.MaxBytes + 1), "the JSON"), StringComparison.Ordinal);
        Assert.Equal(0, sent.Length);
    }

    /// <summary>A cached response whose payload holds token-named fields (a payload may; the console must not show them).</summary>
    internal static async Task<CachedResponse> StoreSecretResponseAsync(AdminFixture fixture, AdminFixture.Seeded seeded, CancellationToken ct)
    {
        var vehicle = seeded.Vehicles[0];
        await fixture.Cache.StoreManyAsync(
        [
            new CacheWrite(seeded.Account.Id, vehicle.Id, "secret_probe", JsonDocument.Parse(
                $$$"""{"battery_level": 80, "access_token": "{{{AdminFixture.AccessToken}}}", "nested": {"refresh_token": "{{{AdminFixture.RefreshToken}}}"}}""").RootElement, TimeSpan.FromHours(1)),
        ], ct);
        var page = await fixture.Cache.BrowseAsync(new CacheFilter(VehicleId: vehicle.Id, EndpointName: "secret_probe"), null, 10, ct);
        return (await fixture.Cache.GetAsync(page.Items.Single().Id, ct))!;
    }

    private Task<CachedResponse> StoreSecretResponseAsync(AdminFixture.Seeded seeded, CancellationToken ct) => StoreSecretResponseAsync(fixture, seeded, ct);
}
