using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using TeslaDb.Admin.Views;

namespace TeslaDb.Admin.Tests;

/// <summary>
/// The launch (issue 12): the first page of accounts is read while the terminal starts, and when it is there the
/// console's very first frame shows it. Begin-style, with no main loop: nothing queued for the UI thread ever runs,
/// so rows on the first frame can only come from the prefetched page.
/// </summary>
public sealed class FirstFrameTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task A_prefetched_first_page_is_on_the_first_frame()
    {
        await fixture.SeedAccountAsync("first-frame@example.com", vehicles: 1);
        await using var session = fixture.Session();
        session.PrefetchFirstPage();
        await session.PeekFirstPage()!; // the test waits for it; the console waits FirstPageWait at most

        var screen = FirstFrame(session);

        Assert.True(screen.Contains("first-frame@example.com", StringComparison.Ordinal), screen);
        Assert.DoesNotContain("Connecting", screen, StringComparison.Ordinal);
        Assert.Null(session.PeekFirstPage()); // taken: the next start reads afresh
    }

    [Fact]
    public async Task Without_a_prefetched_page_the_first_frame_says_connecting()
    {
        await using var session = fixture.Session();

        var screen = FirstFrame(session);

        Assert.Contains("Connecting", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", screen, StringComparison.Ordinal);
    }

    private static string FirstFrame(TeslaDb.Admin.Core.AdminSession session)
    {
        using var app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(120, 32);
        var console = new AdminConsole(app, session);
        console.Start();
        var token = app.Begin(console.Window);
        app.LayoutAndDraw();
        var screen = app.Driver.ToString() ?? string.Empty;
        app.End(token!);
        console.Window.Dispose();
        return screen;
    }
}
