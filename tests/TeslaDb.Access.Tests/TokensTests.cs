using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Seed operation 2: tokens per account, legacy keys still found, refresher's list, deletes.</summary>
public sealed class TokensTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly TestDatabase _db = fixture.Database;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Store_uses_the_account_key_and_the_database_clock_and_replaces_in_place()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Compte", cancellationToken: Ct);

        var key = await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("eyJ.first", "EU.first"), TimeSpan.FromHours(8), Ct);
        await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("eyJ.second", "EU.second"), TimeSpan.FromHours(8), Ct);

        Assert.Equal($"user_token:{account.SupabaseUserId}:{account.Id}", key);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE tesla_account_id = @a", ("a", account.Id)));
        Assert.Equal("test-1", await _db.ScalarAsync<string>("SELECT token_data ->> 'kid' FROM tokens WHERE key = @k", ("k", key)));
        Assert.DoesNotContain("EU.second", await _db.ScalarAsync<string>("SELECT token_data::text FROM tokens WHERE key = @k", ("k", key)), StringComparison.Ordinal);
        var hoursLeft = await _db.ScalarAsync<double>("SELECT extract(epoch FROM expires_at - now())::float8 / 3600 FROM tokens WHERE key = @k", ("k", key));
        Assert.InRange(hoursLeft, 7.9, 8.0);
        var token = await fixture.Tokens.GetForAccountAsync(account.Id, Ct);
        Assert.Equal("eyJ.second", token!.AccessToken);
        Assert.True(token.HasRefreshToken);
    }

    [Fact]
    public async Task Legacy_keys_are_found_current_form_first_then_per_account_then_per_user()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Legacy", cancellationToken: Ct);
        await _db.ExecuteAsync("INSERT INTO tokens (key, token_data) VALUES ('user_token:' || @u::text, '{\"refresh_token\": \"per-user\"}')", ("u", account.SupabaseUserId));
        Assert.Equal("per-user", (await fixture.Tokens.GetForAccountAsync(account.Id, Ct))!.RefreshToken);

        await _db.ExecuteAsync("INSERT INTO tokens (key, token_data) VALUES ('user_token:' || @a::text, '{\"refresh_token\": \"per-account\"}')", ("a", account.Id));
        Assert.Equal("per-account", (await fixture.Tokens.GetForAccountAsync(account.Id, Ct))!.RefreshToken);

        await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("eyJ.now", "current"), TimeSpan.FromHours(8), Ct);
        Assert.Equal("current", (await fixture.Tokens.GetForAccountAsync(account.Id, Ct))!.RefreshToken);
        Assert.Null(await fixture.Tokens.GetForAccountAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Expiring_lists_tokens_due_within_the_window_including_expired_ones_without_secrets()
    {
        var soon = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Soon", cancellationToken: Ct);
        var later = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Later", cancellationToken: Ct);
        var soonKey = await fixture.Tokens.StoreAsync(soon.Id, TeslaSamples.Token("a", "r"), TimeSpan.FromMinutes(10), Ct);
        var laterKey = await fixture.Tokens.StoreAsync(later.Id, TeslaSamples.Token("a", "r"), TimeSpan.FromHours(8), Ct);
        await _db.ExecuteAsync("INSERT INTO tokens (key, token_data, expires_at) VALUES ('user_token:expired-' || gen_random_uuid(), '{\"access_token\": \"x\"}', now() - interval '1 day')");

        var due = await fixture.Tokens.ListExpiringAsync(TimeSpan.FromMinutes(30), Ct);

        Assert.Contains(due, t => t.Key == soonKey && t.HasRefreshToken && t.TeslaAccountId == soon.Id);
        Assert.Contains(due, t => t.Key.StartsWith("user_token:expired-", StringComparison.Ordinal) && !t.HasRefreshToken);
        Assert.DoesNotContain(due, t => t.Key == laterKey);
        Assert.Equal(due.OrderBy(t => t.ExpiresAt).Select(t => t.Key), due.Select(t => t.Key));
    }

    [Fact]
    public async Task Delete_removes_the_accounts_tokens_but_not_a_shared_per_user_key()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Del", cancellationToken: Ct);
        var key = await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("a", "r"), TimeSpan.FromHours(1), Ct);
        await _db.ExecuteAsync("INSERT INTO tokens (key, token_data) VALUES ('user_token:' || @u::text, '{}')", ("u", account.SupabaseUserId));

        Assert.Equal(1, await fixture.Tokens.DeleteForAccountAsync(account.Id, Ct));
        Assert.Null(await _db.ScalarAsync("SELECT key FROM tokens WHERE key = @k", ("k", key)));
        Assert.True(await fixture.Tokens.DeleteAsync($"user_token:{account.SupabaseUserId}", Ct));
        Assert.False(await fixture.Tokens.DeleteAsync($"user_token:{account.SupabaseUserId}", Ct));
    }

    [Fact]
    public async Task Storing_for_a_missing_account_or_with_a_bad_ttl_or_payload_is_an_argument_error()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Args", cancellationToken: Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Tokens.StoreAsync(Guid.NewGuid(), TeslaSamples.Token("a", "r"), TimeSpan.FromHours(1), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("a", "r"), TimeSpan.Zero, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Parse("[1]"), TimeSpan.FromHours(1), Ct));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE tesla_account_id = @a", ("a", account.Id)));
    }
}
