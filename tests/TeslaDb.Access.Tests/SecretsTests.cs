using Microsoft.Extensions.Logging;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Access and refresh tokens never reach a log line, an exception message or a ToString.</summary>
public sealed class SecretsTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const string Access = "eyJhbGciOiJSUzI1NiJ9.SECRET-ACCESS-TOKEN.sig";
    private const string Refresh = "EU_SECRET-REFRESH-TOKEN";
    private readonly TestDatabase _db = fixture.Database;

    [Fact]
    public async Task Secrets_stay_out_of_logs_exceptions_and_to_string()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = new List<string>();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLogger(lines)));
        await using var access = TeslaDbDatabase.Create(_db.ConnectionString, factory, TeslaSamples.Keys);
        var tokens = new Tokens.TokenRepository(access);
        var account = await new Accounts.TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Secret", cancellationToken: ct);
        var token = TeslaSamples.Token(Access, Refresh);

        await tokens.StoreAsync(account.Id, token, TimeSpan.FromHours(8), ct);
        var read = await tokens.GetForAccountAsync(account.Id, ct);
        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<ArgumentException>(() => tokens.StoreAsync(Guid.NewGuid(), token, TimeSpan.FromHours(1), ct)),
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tokens.StoreAsync(account.Id, token, TimeSpan.FromHours(-1), ct)),
            await Assert.ThrowsAsync<ArgumentException>(() => new Cache.VehicleCacheRepository(access).StoreAsync(account.Id, Guid.NewGuid(), "Bad Endpoint", token, null, ct)),
        };

        Assert.Equal(Refresh, read!.RefreshToken);
        Assert.Contains(lines, l => l.Contains("Tokens.Store", StringComparison.Ordinal) && l.Contains("INSERT INTO public.tokens", StringComparison.Ordinal));
        foreach (var text in lines.Concat(errors.Select(e => e.ToString())).Append(read.ToString()))
        {
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        }

        Assert.Contains("refresh token present", read.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_stay_out_of_the_refresh_path_key_errors_and_the_keyring()
    {
        var ct = TestContext.Current.CancellationToken;
        var lines = new List<string>();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLogger(lines)));
        var keyEntry = Tokens.Protection.TokenKeyring.GenerateEntry("secret-test");
        var keyring = Tokens.Protection.TokenKeyring.Parse(keyEntry);
        await using var access = TeslaDbDatabase.Create(_db.ConnectionString, factory, keyring);
        await using var keyless = TeslaDbDatabase.Create(_db.ConnectionString, factory, Tokens.Protection.TokenKeyring.Empty);
        var tokens = new Tokens.TokenRepository(access);
        var account = await new Accounts.TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Secret refresh", cancellationToken: ct);
        await tokens.StoreAsync(account.Id, TeslaSamples.Token(Access, Refresh), TimeSpan.FromSeconds(30), ct);
        var texts = new List<string> { keyring.ToString(), (await tokens.GetForAccountAsync(account.Id, ct))!.ToString() };

        texts.Add((await Assert.ThrowsAsync<InvalidOperationException>(() => tokens.GetValidAccessTokenAsync(account.Id, (request, _) =>
        {
            texts.Add(request.ToString());
            return Task.FromResult(TeslaSamples.Parse("""{"refresh_token": "EU_SECRET-NEW-REFRESH"}"""));
        }, cancellationToken: ct))).ToString());
        var refreshed = await tokens.GetValidAccessTokenAsync(account.Id, (_, _) => Task.FromResult(TeslaSamples.Token(Access + "2", Refresh + "2")), cancellationToken: ct);
        texts.Add((await tokens.GetForAccountAsync(account.Id, ct))!.ToString());
        texts.Add((await Assert.ThrowsAsync<Tokens.TokenKeyException>(() => new Tokens.TokenRepository(keyless).GetForAccountAsync(account.Id, ct))).ToString());
        await _db.ExecuteAsync("UPDATE tokens SET token_data = jsonb_set(token_data, '{kid}', '\"other\"') WHERE tesla_account_id = @a", ("a", account.Id));
        texts.Add((await Assert.ThrowsAsync<Tokens.TokenKeyException>(() => tokens.GetForAccountAsync(account.Id, ct))).ToString());
        await _db.ExecuteAsync("UPDATE tokens SET token_data = jsonb_set(token_data, '{kid}', '\"secret-test\"') WHERE tesla_account_id = @a", ("a", account.Id));
        await tokens.StoreAsync(account.Id, TeslaSamples.Token(Access, Refresh), TimeSpan.FromSeconds(30), ct);
        texts.Add((await Assert.ThrowsAsync<Tokens.TokenReauthenticationRequiredException>(() =>
            tokens.GetValidAccessTokenAsync(account.Id, (_, _) => throw new Tokens.TeslaLoginRequiredException(), cancellationToken: ct))).ToString());

        Assert.Equal(Access + "2", refreshed);
        Assert.Contains(lines, l => l.Contains("Tokens.StoreRefreshed", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("refresh token hidden", StringComparison.Ordinal));
        var key = keyEntry[(keyEntry.IndexOf(':', StringComparison.Ordinal) + 1)..];
        foreach (var text in lines.Concat(texts))
        {
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        }
    }

    private sealed class ListLogger(List<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception) + exception);
            }
        }

        public void Dispose()
        {
        }
    }
}
