using Terminal.Gui.Input;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>What an operator sees after each keystroke, on the real views with Terminal.Gui's driver and no terminal.</summary>
public sealed class ConsoleUiTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Filter_then_account_to_vehicle_to_json_and_back_without_a_token_on_any_screen()
    {
        var seeded = await fixture.SeedAccountAsync("drill-ui@example.com", vehicles: 1);
        var vin = seeded.Vehicles[0].Vin;
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("drill-ui@"), Key.Enter]),
            When("filter 'drill-ui@'", Key.Enter),
            When($"› drill-ui@example.com", Key.Enter),
            When($"› {vin}", new Key('/')),
            When($"Filter {vin}", [.. Type("charge_state"), Key.Enter]),
            When("filter 'charge_state'", Key.Enter),
            When("\"battery_level\": 80", Key.Esc),
            When("filter 'charge_state'", Key.Esc),
            When("Tesla 0", Key.Esc),
            When("values hidden", new Key('q')),
        ]);

        Assert.Contains(outcome.Screens, s => s.Contains($"Accounts › drill-ui@example.com › {vin} › charge_state", StringComparison.Ordinal));
        Assert.Contains(outcome.Screens, s => s.Contains($"Token user_token:{seeded.Account.SupabaseUserId}:{seeded.Account.Id}", StringComparison.Ordinal));
        Assert.Contains("access token present · refresh token present", outcome.LastScreen, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("SECRET", StringComparison.Ordinal) || s.Contains("admin-test-", StringComparison.Ordinal));
        Assert.Null(outcome.Fatal);
    }

    // The mark was the third line of a two-line label: the console showed a dead token as if it were fine. And the
    // status bar's end, cut at 80 columns, was Quit.
    [Fact]
    public async Task At_80_columns_a_login_required_token_says_so_and_the_status_bar_keeps_quit()
    {
        var seeded = await fixture.SeedAccountAsync("relogin-ui@example.com", vehicles: 0);
        await fixture.Database.ExecuteAsync("UPDATE tokens SET login_required_at = now() WHERE tesla_account_id = @a", ("a", seeded.Account.Id));
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("relogin-ui@"), Key.Enter]),
            When("the mark under the list", s => s.Contains("filter 'relogin-ui@'", StringComparison.Ordinal) && s.Contains("LOGIN REQUIRED since", StringComparison.Ordinal), new Key('q')),
        ], width: 80, height: 24);

        Assert.Null(outcome.Fatal);
        Assert.True(outcome.Screens.Any(s => s.Contains("LOGIN REQUIRED since", StringComparison.Ordinal) && s.Contains($"Token user_token:{seeded.Account.SupabaseUserId}", StringComparison.Ordinal)), outcome.LastScreen);
        Assert.All(outcome.Screens, s => Assert.Contains("q  Quit", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_account_name_leaves_the_other_columns_on_a_120_column_screen()
    {
        await fixture.SeedAccountAsync("long-name-ui@example.com", vehicles: 1, name: "Compte " + new string('x', 60));
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("long-name-ui@"), Key.Enter]),
            When("the e-mail beside the long name", s => s.Contains("filter 'long-name-ui@'", StringComparison.Ordinal) && s.Contains("long-name-ui@example.com", StringComparison.Ordinal), new Key('q')),
        ]);

        Assert.Null(outcome.Fatal);
    }

    [Fact]
    public async Task What_is_typed_into_the_filter_and_vin_prompts_shows_in_their_field_as_it_is_typed()
    {
        // Texts found nowhere else on the screen: only the prompt's field can show them.
        await fixture.SeedAccountAsync("prompt-ui@example.com", vehicles: 1);
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", Type("zq-typed")),
            When("the filter's field shows 'zq-typed'", s => s.Contains("Filter Accounts", StringComparison.Ordinal) && s.Contains("zq-typed", StringComparison.Ordinal), Key.Backspace),
            When("the field shows the backspace", s => s.Contains("Filter Accounts", StringComparison.Ordinal) && s.Contains("zq-type", StringComparison.Ordinal) && !s.Contains("zq-typed", StringComparison.Ordinal), Key.Esc),
            When("the filter dialog closed", s => !s.Contains("Filter Accounts", StringComparison.Ordinal), new Key('g')),
            When("Go to a vehicle", Type("5YJ3ZQ")),
            When("the VIN field shows '5YJ3ZQ'", s => s.Contains("Go to a vehicle", StringComparison.Ordinal) && s.Contains("5YJ3ZQ", StringComparison.Ordinal), Key.Esc),
            When("the VIN dialog closed", s => !s.Contains("Go to a vehicle", StringComparison.Ordinal), new Key('q')),
        ]);

        Assert.Null(outcome.Fatal);
    }

    [Fact]
    public async Task Purge_expired_asks_first_cancel_keeps_everything_then_purge_reports_the_count()
    {
        await fixture.SeedAccountAsync("purge-ui@example.com", vehicles: 2, expiredPerVehicle: 2);
        var expired = await fixture.Cache.CountAsync(new TeslaDb.Access.Cache.CacheFilter(ExpiredOnly: true), TestContext.Current.CancellationToken);
        Assert.True(expired >= 4);
        var question = $"Delete {expired} cached responses";
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('x')),
            When(question, Key.Enter), // Enter is Cancel
            When("Purge cancelled: nothing was deleted.", new Key('x')),
            When(question, new Key('x')), // a second x does not confirm
            When("still open after a second x", s => s.Contains(question, StringComparison.Ordinal), new Key('p')),
            When($"Deleted {expired} cached responses", Key.Enter),
            When("the dialog closed", s => !s.Contains("┥Purged┝", StringComparison.Ordinal) && s.Contains($"Deleted {expired} cached responses", StringComparison.Ordinal), new Key('q')),
        ]);

        Assert.Contains(outcome.Screens, s => s.Contains("┥Purge the cache┝", StringComparison.Ordinal));
        Assert.Equal(0, await fixture.Cache.CountAsync(new TeslaDb.Access.Cache.CacheFilter(ExpiredOnly: true), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Paging_with_j_crosses_into_the_next_page_and_k_comes_back()
    {
        for (var i = 0; i < 12; i++)
        {
            await fixture.Accounts.CreateAsync(Guid.NewGuid(), $"Page {i}", $"page{i}@example.com", TestContext.Current.CancellationToken);
        }

        await using var session = fixture.Session(pageSize: 10);
        var outcome = Run(session,
        [
            When("rows 1–10 · page 1 · more below", [.. Enumerable.Repeat(new Key('j'), 10)]),
            When("rows 11–", new Key('k')),
            When("rows 1–10 · page 1", Key.F1),
            When("Every key (the mouse works too", Key.Esc),
            When("help closed", s => !s.Contains("Every key (", StringComparison.Ordinal), new Key('q')),
        ]);
        Assert.Contains(outcome.Screens, s => s.Contains("page 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_only_console_refuses_purges_on_screen_and_deletes_nothing()
    {
        await fixture.SeedAccountAsync("ro-ui@example.com", vehicles: 1, expiredPerVehicle: 1);
        var before = await fixture.Cache.CountAsync(TeslaDb.Access.Cache.CacheFilter.All, TestContext.Current.CancellationToken);
        await using var session = fixture.Session(readOnly: true);
        var outcome = Run(session,
        [
            When("rows 1–", new Key('x')),
            When("This session is read-only", new Key('d')),
            When("This session is read-only", new Key('q')),
        ]);
        Assert.DoesNotContain(outcome.Screens, s => s.Contains("┥Purge the cache┝", StringComparison.Ordinal));
        Assert.Equal(before, await fixture.Cache.CountAsync(TeslaDb.Access.Cache.CacheFilter.All, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_bad_vin_in_the_jump_prompt_says_what_a_vin_is_and_the_console_goes_on()
    {
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("Accounts   (", new Key('g')),
            When("Go to a vehicle", [.. Type("5yj'; drop"), Key.Enter]),
            When("cannot start a VIN", new Key('q')),
        ]);
        Assert.Null(outcome.Fatal);
    }

    [Fact]
    public async Task Mouse_double_click_opens_an_account_and_a_click_on_the_status_bar_runs_its_key()
    {
        await fixture.SeedAccountAsync("mouse-ui@example.com", vehicles: 1);
        await using var session = fixture.Session();
        var outcome = Run(session,
        [
            When("rows 1–", new Key('/')),
            When("Filter Accounts", [.. Type("mouse-ui@"), Key.Enter]),
            // Only once the filtered page is drawn: a click that lands while "Filtering…" is still busy is refused
            // ("Still busy"), which is what made this test fail on a loaded machine.
            When("filter 'mouse-ui@'", s => s.Contains("filter 'mouse-ui@'", StringComparison.Ordinal) && !s.Contains("Filtering…", StringComparison.Ordinal)),
            Click("mouse-ui@example.com", twice: true),
            When("Accounts › mouse-ui@example.com", s => s.Contains("Accounts › mouse-ui@example.com", StringComparison.Ordinal)),
            Click("Stats"),
            When("Cache statistics", Key.Esc),
            When("statistics closed", s => !s.Contains("Cache statistics", StringComparison.Ordinal), new Key('q')),
        ]);
        Assert.Contains(outcome.Screens, s => s.Contains("VIN", StringComparison.Ordinal) && s.Contains("Tesla 0", StringComparison.Ordinal));
    }
}
