using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>Tokens at rest: AES-256-GCM envelopes bound to their row, a keyring with rotation, legacy plain rows,
/// and clear errors naming the key id when a value cannot be opened.</summary>
public sealed class TokenEncryptionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const string Access = "eyJhbGciOiJSUzI1NiJ9.AT-REST-ACCESS.sig";
    private const string Refresh = "EU_AT-REST-REFRESH";
    private readonly TestDatabase _db = fixture.Database;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stored_token_is_an_envelope_without_its_values_and_sql_still_sees_expiry_and_presence()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Envelope", cancellationToken: Ct);
        var key = await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Parse(
            $$"""{"access_token": "{{Access}}", "refresh_token": "{{Refresh}}", "expires_in": 28800, "token_type": "Bearer", "scope": "openid offline_access vehicle_device_data"}"""),
            TimeSpan.FromHours(8), Ct);

        var text = await _db.ScalarAsync<string>("SELECT token_data::text FROM tokens WHERE key = @k", ("k", key));
        Assert.DoesNotContain("AT-REST", text, StringComparison.Ordinal);
        Assert.Equal(1, await _db.ScalarAsync<int>("SELECT (token_data ->> 'v')::int FROM tokens WHERE key = @k", ("k", key)));
        Assert.Equal("test-1", await _db.ScalarAsync<string>("SELECT token_data ->> 'kid' FROM tokens WHERE key = @k", ("k", key)));
        Assert.True(await _db.ScalarAsync<bool>("SELECT (token_data ->> 'has_refresh_token')::boolean AND (token_data ->> 'has_access_token')::boolean FROM tokens WHERE key = @k", ("k", key)));
        Assert.Equal("openid offline_access vehicle_device_data", await _db.ScalarAsync<string>("SELECT token_data ->> 'scope' FROM tokens WHERE key = @k", ("k", key)));
        Assert.True(await _db.ScalarAsync<bool>("SELECT (token_data ->> 'expires_at')::timestamptz = expires_at FROM tokens WHERE key = @k", ("k", key)));

        var token = await fixture.Tokens.GetForAccountAsync(account.Id, Ct);
        Assert.Equal(Access, token!.AccessToken);
        Assert.Equal(Refresh, token.RefreshToken);
        Assert.Equal("test-1", token.KeyId);
    }

    [Fact]
    public async Task Values_with_characters_json_writers_escape_come_back_exactly_through_the_envelope_and_a_refresh()
    {
        // The envelope's plaintext is written with JSON's own escapes only ('+', '/', '<', '&', non-ASCII stay as they
        // are): what must be escaped still is, and every value reads back the same.
        const string access = "eyJ+base64/with+plus==.<&>'`.é€😀";
        const string refresh = "EU_\"quoted\"\\back\\slash\u0001\n\ttab";
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Escapes", cancellationToken: Ct);
        await fixture.Tokens.StoreAsync(account.Id, Serialized(access, refresh), TimeSpan.FromSeconds(30), Ct);

        var token = await fixture.Tokens.GetForAccountAsync(account.Id, Ct);
        Assert.Equal((access, refresh), (token!.AccessToken, token.RefreshToken));

        var rotated = await fixture.Tokens.GetValidAccessTokenAsync(account.Id, (request, _) =>
        {
            Assert.Equal(refresh, request.RefreshToken);
            return Task.FromResult(Serialized(access + "+2", refresh + "/2"));
        }, cancellationToken: Ct);
        token = await fixture.Tokens.GetForAccountAsync(account.Id, Ct);
        Assert.Equal((access + "+2", access + "+2", refresh + "/2", refresh), (rotated, token!.AccessToken, token.RefreshToken, token.PreviousRefreshToken));

        static System.Text.Json.JsonElement Serialized(string access, string refresh) =>
            System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["access_token"] = access, ["refresh_token"] = refresh, ["expires_in"] = 28800 });
    }

    [Fact]
    public async Task Many_threads_storing_and_reading_encrypted_tokens_at_once_each_get_their_own_token_back()
    {
        // The protector keeps AesGcm instances for reuse; one instance must never serve two threads at once.
        var accounts = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            accounts.Add((await fixture.Accounts.CreateAsync(Guid.NewGuid(), $"Parallel {i}", cancellationToken: Ct)).Id);
        }

        await Task.WhenAll(accounts.Select((account, i) => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                var access = $"eyJ.PARALLEL-{i}-{round}.sig";
                await fixture.Tokens.StoreAsync(account, TeslaSamples.Parse($$"""{"access_token": "{{access}}", "refresh_token": "EU_{{i}}"}"""), TimeSpan.FromHours(1), Ct);
                for (var read = 0; read < 5; read++)
                {
                    var token = await fixture.Tokens.GetForAccountAsync(account, Ct);
                    Assert.Equal(access, token!.AccessToken);
                    Assert.Equal($"EU_{i}", token.RefreshToken);
                }
            }
        }, Ct)));
    }

    [Fact]
    public async Task Without_keys_the_summary_and_expiry_list_work_and_reading_or_storing_values_fails_clearly()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Keyless", cancellationToken: Ct);
        var key = await fixture.Tokens.StoreAsync(account.Id, TeslaSamples.Token(Access, Refresh), TimeSpan.FromMinutes(5), Ct);
        await using var keyless = TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: TokenKeyring.Empty);
        var tokens = new TokenRepository(keyless);

        var summary = await tokens.DescribeForAccountAsync(account.Id, Ct);
        Assert.True(summary!.HasAccessToken && summary.HasRefreshToken && !summary.IsExpired);
        Assert.Equal("test-1", summary.KeyId);
        Assert.Contains(await tokens.ListExpiringAsync(TimeSpan.FromMinutes(10), Ct), t => t.Key == key && t.HasRefreshToken);

        var read = await Assert.ThrowsAsync<TokenKeyException>(() => tokens.GetForAccountAsync(account.Id, Ct));
        Assert.Equal("test-1", read.KeyId);
        Assert.Contains("'test-1'", read.Message, StringComparison.Ordinal);
        Assert.Contains(TokenKeyring.EnvironmentVariable, read.Message, StringComparison.Ordinal);
        var store = await Assert.ThrowsAsync<TokenKeyException>(() => tokens.StoreAsync(account.Id, TeslaSamples.Token("a", "r"), TimeSpan.FromHours(1), Ct));
        Assert.Contains(TokenKeyring.EnvironmentVariable, store.Message, StringComparison.Ordinal);
        Assert.Equal(Refresh, (await fixture.Tokens.GetForAccountAsync(account.Id, Ct))!.RefreshToken);
    }

    [Fact]
    public async Task A_legacy_plain_row_is_read_and_its_next_write_encrypts_it()
    {
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Legacy", cancellationToken: Ct);
        var key = $"user_token:{account.SupabaseUserId}:{account.Id}";
        // The seed's own INSERT, plain JSON.
        await _db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, expires_at, tesla_account_id) VALUES (@k, jsonb_build_object('access_token', @a::text, 'refresh_token', @r::text), now() + interval '1 hour', @id)",
            ("k", key), ("a", Access), ("r", Refresh), ("id", account.Id));

        var plain = await fixture.Tokens.GetForAccountAsync(account.Id, Ct);
        Assert.Equal(Refresh, plain!.RefreshToken);
        Assert.Null(plain.KeyId);
        Assert.Null((await fixture.Tokens.DescribeForAccountAsync(account.Id, Ct))!.KeyId);

        await fixture.Tokens.StoreAsync(account.Id, plain.Data, TimeSpan.FromHours(1), Ct);

        Assert.DoesNotContain("AT-REST", await _db.ScalarAsync<string>("SELECT token_data::text FROM tokens WHERE key = @k", ("k", key)), StringComparison.Ordinal);
        Assert.Equal(Refresh, (await fixture.Tokens.GetForAccountAsync(account.Id, Ct))!.RefreshToken);
    }

    [Fact]
    public async Task An_envelope_copied_to_another_row_or_relabelled_or_tampered_or_truncated_fails_naming_the_key_id()
    {
        var victim = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Victim", cancellationToken: Ct);
        var attacker = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Attacker", cancellationToken: Ct);
        var victimKey = await fixture.Tokens.StoreAsync(victim.Id, TeslaSamples.Token(Access, Refresh), TimeSpan.FromHours(1), Ct);
        var attackerKey = await fixture.Tokens.StoreAsync(attacker.Id, TeslaSamples.Token("eyJ.own", "EU.own"), TimeSpan.FromHours(1), Ct);
        var original = await _db.ScalarAsync<string>("SELECT token_data::text FROM tokens WHERE key = @k", ("k", victimKey));

        async Task<TokenKeyException> Fails(string envelopeSql)
        {
            await _db.ExecuteAsync($"UPDATE tokens SET token_data = {envelopeSql} WHERE key = @k", ("k", attackerKey), ("v", original));
            var error = await Assert.ThrowsAsync<TokenKeyException>(() => fixture.Tokens.GetForAccountAsync(attacker.Id, Ct));
            Assert.DoesNotContain("AT-REST", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(await _db.ScalarAsync<string>("SELECT @v::jsonb ->> 'ct'", ("v", original)), error.ToString(), StringComparison.Ordinal);
            return error;
        }

        var moved = await Fails("@v::jsonb");
        Assert.Equal("test-1", moved.KeyId);
        Assert.Contains("key id 'test-1'", moved.Message, StringComparison.Ordinal);
        Assert.Contains(attackerKey, moved.Message, StringComparison.Ordinal);

        // One bit of the ciphertext flipped (base64 of other bytes of the same length).
        var tampered = await Fails("jsonb_set(@v::jsonb, '{ct}', to_jsonb(encode(set_byte(decode(@v::jsonb ->> 'ct', 'base64'), 0, get_byte(decode(@v::jsonb ->> 'ct', 'base64'), 0) # 1), 'base64')))");
        Assert.Contains("key id 'test-1'", tampered.Message, StringComparison.Ordinal);

        var truncated = await Fails("jsonb_set(@v::jsonb, '{tag}', to_jsonb(left(@v::jsonb ->> 'tag', 8)))");
        Assert.Contains("key id 'test-1'", truncated.Message, StringComparison.Ordinal);

        // The nonce and tag are decoded by length: one missing, one two bytes too long.
        Assert.Contains("damaged encrypted value under key id 'test-1'", (await Fails("@v::jsonb - 'n'")).Message, StringComparison.Ordinal);
        var longTag = await Fails("jsonb_set(@v::jsonb, '{tag}', to_jsonb(encode(decode(@v::jsonb ->> 'tag', 'base64') || '\\x0000'::bytea, 'base64')))");
        Assert.Contains("damaged encrypted value under key id 'test-1'", longTag.Message, StringComparison.Ordinal);

        var unknown = await Fails("jsonb_set(@v::jsonb, '{kid}', '\"gone-key\"')");
        Assert.Equal("gone-key", unknown.KeyId);
        Assert.Contains("'gone-key', which is not in the keyring (test-1)", unknown.Message, StringComparison.Ordinal);

        // The victim's own row still opens.
        Assert.Equal(Refresh, (await fixture.Tokens.GetForAccountAsync(victim.Id, Ct))!.RefreshToken);
    }

    [Fact]
    public async Task Rotation_old_key_still_decrypts_new_writes_use_the_first_key_and_a_wrong_key_under_the_same_id_fails()
    {
        // Another key under the same id "old": what a changed or mistyped key looks like.
        var impostorRing = TokenKeyring.Parse(TokenKeyring.GenerateEntry("old"));
        var oldEntry = TokenKeyring.GenerateEntry("old");
        var newEntry = TokenKeyring.GenerateEntry("new");
        var oldRing = TokenKeyring.Parse(oldEntry);
        var rotatedRing = TokenKeyring.Parse($"{newEntry},{oldEntry}");
        await using var before = TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: oldRing);
        await using var after = TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: rotatedRing);
        await using var impostor = TeslaDbDatabase.Create(_db.ConnectionString, tokenKeys: impostorRing);
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Rotation", cancellationToken: Ct);
        var key = await new TokenRepository(before).StoreAsync(account.Id, TeslaSamples.Token(Access, Refresh), TimeSpan.FromHours(1), Ct);

        var read = await new TokenRepository(after).GetForAccountAsync(account.Id, Ct);
        Assert.Equal(("old", Refresh), (read!.KeyId, read.RefreshToken));
        await new TokenRepository(after).StoreAsync(account.Id, read.Data, TimeSpan.FromHours(1), Ct);
        Assert.Equal("new", await _db.ScalarAsync<string>("SELECT token_data ->> 'kid' FROM tokens WHERE key = @k", ("k", key)));
        Assert.Equal(Refresh, (await new TokenRepository(after).GetForAccountAsync(account.Id, Ct))!.RefreshToken);

        await new TokenRepository(before).StoreAsync(account.Id, read.Data, TimeSpan.FromHours(1), Ct);
        var wrong = await Assert.ThrowsAsync<TokenKeyException>(() => new TokenRepository(impostor).GetForAccountAsync(account.Id, Ct));
        Assert.Contains("does not decrypt under key id 'old'", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_written_with_json_escapes_in_its_key_id_and_base64_fields_still_opens()
    {
        // jsonb prints these fields without escapes, and a read finds them by position; JSON allows any character to be
        // escaped, so an envelope that went through another writer must read the same.
        var ring = TokenKeyring.Parse(TokenKeyring.GenerateEntry("k1"));
        var protector = new TokenProtector(ring);
        var sealedText = protector.Seal("user_token:escapes", new TokenSecrets(TeslaSamples.Token(Access, Refresh)));
        using var envelope = System.Text.Json.JsonDocument.Parse(sealedText);
        var escaped = new System.Text.StringBuilder("{");
        foreach (var field in envelope.RootElement.EnumerateObject())
        {
            var value = field.Value.ValueKind == System.Text.Json.JsonValueKind.String
                ? $"\"\\u{(int)field.Value.GetString()![0]:x4}{field.Value.GetString()![1..]}\""
                : field.Value.GetRawText();
            escaped.Append(escaped.Length > 1 ? "," : string.Empty).Append($"\"{field.Name}\":{value}");
        }

        var text = escaped.Append('}').ToString();
        Assert.Contains("\"kid\":\"\\u006b1\"", text, StringComparison.Ordinal);
        var opened = protector.Open("user_token:escapes", System.Text.Encoding.UTF8.GetBytes(text), out var keyId);
        Assert.Equal(("k1", Refresh), (keyId, opened.Text("refresh_token")));

        // An escape that cannot be written back (a lone surrogate: jsonb refuses it) is a damaged value, not a crash.
        var broken = text.Replace("\"kid\":\"\\u006b1\"", "\"kid\":\"\\ud800k1\"", StringComparison.Ordinal);
        Assert.NotEqual(text, broken);
        Assert.Throws<TokenKeyException>(() => protector.Open("user_token:escapes", System.Text.Encoding.UTF8.GetBytes(broken), out _));
    }

    [Theory]
    [InlineData("k1", "not 'id:base64key'")]
    [InlineData("k1:AAAA", "key 'k1' is 3 bytes; AES-256 needs 32")]
    [InlineData("k1:***", "key 'k1' is not valid base64")]
    [InlineData("bad id:AAAA", "entry 1 is not 'id:base64key'")]
    public void A_malformed_keyring_is_refused_at_start_without_echoing_the_key(string text, string expected)
    {
        var error = Assert.Throws<TokenKeyException>(() => TokenKeyring.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_id_is_refused_and_the_first_key_encrypts()
    {
        var a = TokenKeyring.GenerateEntry("a");
        var b = TokenKeyring.GenerateEntry("b");
        Assert.Contains("'a' appears twice", Assert.Throws<TokenKeyException>(() => TokenKeyring.Parse($"{a},{TokenKeyring.GenerateEntry("a")}")).Message, StringComparison.Ordinal);
        var ring = TokenKeyring.Parse($" {b} , {a} ");
        Assert.Equal("b", ring.CurrentId);
        Assert.Equal(["b", "a"], ring.Ids);
        Assert.Equal("TokenKeyring [b, a]", ring.ToString());
        Assert.True(TokenKeyring.Parse(null).IsEmpty);
    }
}
