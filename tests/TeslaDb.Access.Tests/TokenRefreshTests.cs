using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using TeslaDb.Access.Tokens;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Refresh exactly once across processes: one delegate call for many callers over several data sources
/// (each its own pool, as separate processes would be), the old token kept when a refresh fails, login_required
/// remembered, a bounded wait for the lock, and a background refresher safe on several instances.</summary>
public sealed class TokenRefreshTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private readonly TestDatabase _db = fixture.Database;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twenty_callers_over_four_data_sources_make_one_delegate_call_and_all_get_the_new_token()
    {
        var account = await StaleTokenAsync("EU.before");
        var processes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.FromResult(TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: TeslaSamples.Keys))));
        var calls = new ConcurrentBag<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TokenRefreshCallback refresh = async (request, ct) =>
        {
            calls.Add(request.RefreshToken);
            await gate.Task.WaitAsync(ct); // Tesla answers only once everyone else is queued on the row lock
            return TeslaSamples.Token($"eyJ.after-{calls.Count}", "EU.after");
        };

        try
        {
            var callers = Enumerable.Range(0, 20).Select(i => Task.Run(() =>
                new TokenRepository(processes[i % 4]).GetValidAccessTokenAsync(account, refresh, cancellationToken: Ct))).ToList();
            await WaitForAsync("SELECT count(*) >= 19 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            gate.SetResult();
            var tokens = await Task.WhenAll(callers);

            Assert.Equal(["EU.before"], calls);
            Assert.All(tokens, t => Assert.Equal("eyJ.after-1", t));
            var stored = await fixture.Tokens.GetForAccountAsync(account, Ct);
            Assert.Equal(("EU.after", "EU.before"), (stored!.RefreshToken, stored.PreviousRefreshToken));
            Assert.True(await _db.ScalarAsync<bool>("SELECT expires_at > now() + interval '7 hours' FROM tokens WHERE tesla_account_id = @a", ("a", account)));

            // Fresh now: no further call.
            Assert.Equal("eyJ.after-1", await new TokenRepository(processes[3]).GetValidAccessTokenAsync(account, refresh, cancellationToken: Ct));
            Assert.Single(calls);
        }
        finally
        {
            gate.TrySetResult();
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_failing_delegate_keeps_the_old_token_and_the_next_call_refreshes()
    {
        var account = await StaleTokenAsync("EU.kept");
        var before = await TokenDataAsync(account);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fixture.Tokens.GetValidAccessTokenAsync(
            account, (_, _) => throw new HttpRequestException("Tesla answered 503"), cancellationToken: Ct));

        Assert.Equal("Tesla answered 503", error.Message);
        Assert.Equal(before, await TokenDataAsync(account));
        Assert.Equal("eyJ.second", await fixture.Tokens.GetValidAccessTokenAsync(account, Answer("eyJ.second", "EU.second"), cancellationToken: Ct));
        Assert.Equal("EU.second", (await fixture.Tokens.GetForAccountAsync(account, Ct))!.RefreshToken);
    }

    [Fact]
    public async Task A_connection_killed_mid_refresh_keeps_the_old_token_and_the_next_call_refreshes()
    {
        var account = await StaleTokenAsync("EU.survives");
        var before = await TokenDataAsync(account);
        await using var doomed = TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: TeslaSamples.Keys);

        await Assert.ThrowsAnyAsync<Exception>(() => new TokenRepository(doomed).GetValidAccessTokenAsync(account, async (_, ct) =>
        {
            // The refresher's session is idle in its transaction while Tesla is called: kill it then.
            Assert.True(await _db.ScalarAsync<bool>(
                "SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()"));
            return TeslaSamples.Token("eyJ.lost", "EU.lost");
        }, cancellationToken: Ct));

        Assert.Equal(before, await TokenDataAsync(account));
        Assert.Equal("eyJ.next", await fixture.Tokens.GetValidAccessTokenAsync(account, Answer("eyJ.next", "EU.next"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Login_required_marks_the_account_and_stops_refreshes_until_a_new_token_is_stored()
    {
        var account = await StaleTokenAsync("EU.dead");
        var calls = 0;
        TokenRefreshCallback dead = (request, _) =>
        {
            // The background pass also meets the stale tokens other tests of this class left in the shared database.
            if (request.TeslaAccountId == account)
            {
                Interlocked.Increment(ref calls);
            }

            throw new TeslaLoginRequiredException();
        };

        var first = await Assert.ThrowsAsync<TokenReauthenticationRequiredException>(() => fixture.Tokens.GetValidAccessTokenAsync(account, dead, cancellationToken: Ct));
        var again = await Assert.ThrowsAsync<TokenReauthenticationRequiredException>(() => fixture.Tokens.GetValidAccessTokenAsync(account, dead, cancellationToken: Ct));
        var pass = await fixture.Tokens.RefreshExpiringAsync(TimeSpan.FromMinutes(5), dead, cancellationToken: Ct);

        Assert.Equal(1, calls);
        Assert.NotNull(first.LoginRequiredAt);
        Assert.Equal(first.LoginRequiredAt, again.LoginRequiredAt);
        Assert.Contains("log in again", first.Message, StringComparison.Ordinal);
        Assert.Equal(0, pass.Refreshed + pass.Failed);
        var summary = await fixture.Tokens.DescribeForAccountAsync(account, Ct);
        Assert.Equal(first.LoginRequiredAt, summary!.LoginRequiredAt);
        Assert.True(summary.HasRefreshToken); // the dead token is kept, never deleted
        Assert.Contains("login required", (await fixture.Tokens.GetForAccountAsync(account, Ct))!.ToString(), StringComparison.Ordinal);

        await fixture.Tokens.StoreAsync(account, TeslaSamples.Token("eyJ.relogged", "EU.relogged"), TimeSpan.FromSeconds(30), Ct);
        Assert.Null((await fixture.Tokens.DescribeForAccountAsync(account, Ct))!.LoginRequiredAt);
        Assert.Equal("eyJ.back", await fixture.Tokens.GetValidAccessTokenAsync(account, Answer("eyJ.back", "EU.back"), cancellationToken: Ct));
    }

    [Fact]
    public async Task The_wait_for_another_refreshers_lock_is_bounded_by_a_clear_timeout()
    {
        var account = await StaleTokenAsync("EU.locked");
        await using var holder = await _db.OpenAsync(Ct);
        await using var transaction = await holder.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM tokens WHERE tesla_account_id = @a FOR UPDATE", holder, transaction))
        {
            lockRow.Parameters.AddWithValue("a", account);
            await lockRow.ExecuteScalarAsync(Ct);
        }

        var calls = 0;
        var error = await Assert.ThrowsAsync<TokenRefreshTimeoutException>(() => fixture.Tokens.GetValidAccessTokenAsync(
            account, (_, _) => { calls++; return Task.FromResult(TeslaSamples.Token("x", "y")); }, lockTimeout: TimeSpan.FromMilliseconds(200), cancellationToken: Ct));

        Assert.Equal(0, calls);
        Assert.Contains("another process held it", error.Message, StringComparison.Ordinal);
        await transaction.RollbackAsync(Ct);
    }

    [Fact]
    public async Task Background_refreshers_on_three_instances_refresh_each_expiring_token_once()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => StaleTokenAsync($"EU.bg-{i}")));
        var later = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Later", cancellationToken: Ct);
        await fixture.Tokens.StoreAsync(later.Id, TeslaSamples.Token("eyJ.later", "EU.later"), TimeSpan.FromHours(8), Ct);
        var calls = new ConcurrentDictionary<string, int>();
        TokenRefreshCallback refresh = (request, _) =>
        {
            calls.AddOrUpdate(request.RefreshToken, 1, (_, n) => n + 1);
            return Task.FromResult(TeslaSamples.Token($"eyJ.{request.RefreshToken}", $"{request.RefreshToken}.rotated"));
        };
        var instances = Enumerable.Range(0, 3).Select(_ => TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: TeslaSamples.Keys)).ToList();
        try
        {
            var reports = await Task.WhenAll(instances.Select(i => Task.Run(() => new TokenRepository(i).RefreshExpiringAsync(TimeSpan.FromMinutes(5), refresh, cancellationToken: Ct))));

            Assert.All(calls.Values, n => Assert.Equal(1, n));
            Assert.Equal(calls.Count, reports.Sum(r => r.Refreshed));
            Assert.Empty(reports.SelectMany(r => r.FailedKeys));
            Assert.DoesNotContain("EU.later", calls.Keys);
            foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
            {
                Assert.Equal($"EU.bg-{i}.rotated", (await fixture.Tokens.GetForAccountAsync(account, Ct))!.RefreshToken);
            }
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    /// <summary>An account whose token expires within the default skew: the next call must refresh it.</summary>
    private async Task<Guid> StaleTokenAsync(string refreshToken)
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Refresh", cancellationToken: Ct);
        await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token("eyJ.stale", refreshToken), TimeSpan.FromSeconds(30), Ct);
        return account.Id;
    }

    private static TokenRefreshCallback Answer(string access, string refresh) => (_, _) => Task.FromResult(TeslaSamples.Token(access, refresh));

    private Task<string> TokenDataAsync(Guid account) =>
        _db.ScalarAsync<string>("SELECT token_data::text || expires_at::text FROM tokens WHERE tesla_account_id = @a", ("a", account));

    private async Task WaitForAsync(string condition)
    {
        while (!await _db.ScalarAsync<bool>(condition))
        {
            await Task.Delay(20, Ct);
        }
    }
}
