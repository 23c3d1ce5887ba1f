using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Tests;

/// <summary>The drill-down, the VIN jump, the token line, the statistics and the migration status, without a terminal.</summary>
public sealed class NavigatorTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Account_to_vehicle_to_response_shows_pretty_json_and_back_returns_level_by_level()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("drill@example.com", vehicles: 2);
        await using var session = fixture.Session();
        var navigator = new Navigator(session);
        await navigator.StartAsync(ct);
        var accounts = Assert.IsType<AccountsScreen>(navigator.Current);
        await accounts.ApplyFilterAsync("drill@", ct);
        Assert.True(await navigator.OpenAsync(0, ct));
        var vehicles = Assert.IsType<VehiclesScreen>(navigator.Current);
        Assert.Equal(seeded.Vehicles.Select(v => v.Vin), vehicles.Items.Select(v => v.Vin));
        Assert.True(await navigator.OpenAsync(1, ct));
        var cache = Assert.IsType<CacheScreen>(navigator.Current);
        Assert.Equal(6, cache.Count);
        var charge = cache.Items.ToList().FindIndex(e => e.EndpointName == "charge_state");
        Assert.True(await navigator.OpenAsync(charge, ct));
        var response = Assert.IsType<ResponseScreen>(navigator.Current);
        Assert.Equal($"Accounts › drill@example.com › {seeded.Vehicles[1].Vin} › charge_state", navigator.Breadcrumb);
        Assert.Contains("\n  \"battery_level\": 80", response.Json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("EXPIRED", response.Header, StringComparison.Ordinal); // the first endpoint was seeded expired
        Assert.False(await navigator.OpenAsync(0, ct));

        Assert.True(navigator.Back());
        Assert.Same(cache, navigator.Current);
        Assert.True(navigator.Back());
        Assert.True(navigator.Back());
        Assert.False(navigator.Back());
        Assert.Equal(1, navigator.Depth);
    }

    [Fact]
    public async Task Jump_by_full_vin_opens_its_responses_and_an_unknown_or_bad_vin_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("jump@example.com", vehicles: 1);
        await using var session = fixture.Session();
        var navigator = new Navigator(session);
        await navigator.StartAsync(ct);
        await navigator.JumpToVinAsync(seeded.Vehicles[0].Vin.ToLowerInvariant(), ct);
        var cache = Assert.IsType<CacheScreen>(navigator.Current);
        Assert.Equal(seeded.Vehicles[0].Id, cache.Vehicle.Id);
        Assert.Equal(3, navigator.Depth);

        var unknown = await Assert.ThrowsAsync<UserInputException>(() => navigator.JumpToVinAsync("5YJ3E1EA0ZZ999999", ct));
        Assert.Equal("No vehicle has a VIN starting with 5YJ3E1EA0ZZ999999.", unknown.Message);
        var bad = await Assert.ThrowsAsync<UserInputException>(() => navigator.JumpToVinAsync("5YJ3-IOQ", ct));
        Assert.Contains("cannot start a VIN", bad.Message, StringComparison.Ordinal);
        Assert.Equal(3, navigator.Depth);
    }

    [Fact]
    public async Task Token_line_shows_key_expiry_and_presence_never_the_values()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("token@example.com", vehicles: 1);
        var bare = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Sans jeton", "notoken@example.com", ct);
        await using var session = fixture.Session();
        var accounts = new AccountsScreen(session);
        await accounts.ApplyFilterAsync(seeded.Account.Id.ToString(), ct);
        var line = await accounts.DetailAsync(0, ct);
        Assert.NotNull(line);
        Assert.Contains($"user_token:{seeded.Account.SupabaseUserId}:{seeded.Account.Id}", line, StringComparison.Ordinal);
        Assert.Contains("access token present · refresh token present · encrypted (key admin-test)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", line, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminFixture.AccessToken, line, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminFixture.RefreshToken, line, StringComparison.Ordinal);

        await accounts.ApplyFilterAsync(bare.Id.ToString(), ct);
        Assert.Equal("No token stored for this account.", await accounts.DetailAsync(0, ct));
    }

    [Fact]
    public async Task Token_line_shows_a_plain_row_and_an_account_that_must_log_in_again_without_any_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("relogin@example.com", vehicles: 1);
        await fixture.Database.ExecuteAsync("UPDATE tokens SET login_required_at = now() WHERE tesla_account_id = @a", ("a", seeded.Account.Id));
        var legacy = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Legacy", "legacy@example.com", ct);
        await fixture.Database.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, expires_at) VALUES ('user_token:' || @a::text, '{\"access_token\": \"eyJhbGciOiJSUzI1NiJ9.PLAIN-SECRET\", \"refresh_token\": \"NA_PLAIN-SECRET\"}', now() + interval '1 hour')",
            ("a", legacy.Id));
        await using var session = fixture.Session(); // the console holds no token key
        var accounts = new AccountsScreen(session);

        await accounts.ApplyFilterAsync(seeded.Account.Id.ToString(), ct);
        var marked = await accounts.DetailAsync(0, ct);
        await accounts.ApplyFilterAsync(legacy.Id.ToString(), ct);
        var plain = await accounts.DetailAsync(0, ct);

        Assert.Contains("LOGIN REQUIRED since", marked, StringComparison.Ordinal);
        Assert.Contains("access token present · refresh token present · plain (tesladb-migrate encrypt-tokens)", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", marked + plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_and_migration_status_come_from_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.SeedAccountAsync("stats@example.com", vehicles: 2, expiredPerVehicle: 1);
        await using var session = fixture.Session();
        var stats = await CacheStatisticsReport.LoadAsync(session, ct);
        var expected = await fixture.Cache.StatisticsAsync(null, ct);
        Assert.Equal(expected.Sum(e => e.Entries), stats.Entries);
        Assert.Equal(expected.Sum(e => e.Expired), stats.Expired);
        Assert.Equal("total", stats.Rows[^1][0]);
        Assert.Equal(Format.Count(stats.Entries), stats.Rows[^1][1]);
        Assert.Equal(AdminFixture.Endpoints.Order(StringComparer.Ordinal), stats.Rows.SkipLast(1).Select(r => r[0]));

        var migrations = await MigrationStatusReport.LoadAsync(session, ct);
        Assert.True(migrations.Status.IsUpToDate);
        Assert.StartsWith($"Up to date at {migrations.Status.CurrentVersion}", migrations.Summary, StringComparison.Ordinal);
        Assert.All(migrations.Rows, r => Assert.Equal("applied", r[2]));
    }

    // A Supabase database migrated with --supabase off (supported): the status (m) reads it as it was migrated, up
    // to date, where it said "Unexpected error" (and the console has no --supabase to pass).
    [Fact]
    public async Task Migration_status_reads_a_database_in_the_supabase_mode_it_was_migrated_with()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestSupport.TestDatabase.CreateAsync();
        await TestSupport.SupabaseLookalike.InstallAsync(db);
        await new Migrations.Runner.TeslaDbMigrator(new Migrations.Runner.MigratorOptions { ConnectionString = db.ConnectionString, Supabase = Migrations.Runner.SupabaseMode.Off }).UpAsync(cancellationToken: ct);
        await using var session = await AdminSession.OpenAsync(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString), readOnly: true, cancellationToken: ct);

        var report = await MigrationStatusReport.LoadAsync(session, ct);

        Assert.True(report.Status.IsUpToDate);
        Assert.False(report.Status.Supabase);
        Assert.Empty(report.Status.Changed);
    }

    [Fact]
    public void Formats_are_utc_invariant_and_short()
    {
        Assert.Equal("2026-11-26 12:00:00Z", Format.Time(new DateTimeOffset(2026, 11, 26, 13, 45, 0, TimeSpan.FromHours(1.75))));
        Assert.Equal("never", Format.Time(null));
        Assert.Equal("2 h 5 min", Format.Age(TimeSpan.FromMinutes(125)));
        Assert.Equal("in 3 min", Format.Age(TimeSpan.FromMinutes(-3)));
        Assert.Equal("1.5 KB", Format.Bytes(1536));
        Assert.Equal("1,234,567", Format.Count(1_234_567));
        Assert.Equal("1 cached response", Format.Plural(1, "cached response", "cached responses"));
    }
}
