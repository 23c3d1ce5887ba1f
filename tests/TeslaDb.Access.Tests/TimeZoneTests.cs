using LinqToDB;
using TeslaDb.Access.Mapping;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// An instant written as 12:00Z reads back as 12:00Z whatever zone the server, the database or a session uses.
/// scripts/test.sh also runs this process (and the server) in Pacific/Chatham (UTC+13:45).
/// </summary>
public sealed class TimeZoneTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = fixture.Database;

    [Fact]
    public async Task Noon_utc_stays_noon_utc_through_other_zones()
    {
        var ct = TestContext.Current.CancellationToken;
        // The database's own default zone is far from UTC, as a server's might be.
        await _db.ExecuteAsync($"ALTER DATABASE \"{_db.Name}\" SET timezone = 'Asia/Tokyo'");
        await using var access = TeslaDbDatabase.Create(_db.ConnectionString);
        var id = Guid.NewGuid();
        await using (var db = access.Open("test"))
        {
            // Written with an offset of +02:00: the same instant as 12:00Z.
            await db.InsertAsync(
                new AccountRow { Id = id, SupabaseUserId = Guid.NewGuid(), AccountName = "tz", IsActive = true, CreatedAt = Noon.ToOffset(TimeSpan.FromHours(2)), UpdatedAt = Noon },
                token: ct);
        }

        var read = await new Accounts.TeslaAccountRepository(access).GetAsync(id, ct);
        await using var session = await _db.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand("SET TimeZone = 'America/Los_Angeles'; SELECT to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI'), created_at::text FROM tesla_accounts WHERE id = @id", session);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        Assert.True(await reader.ReadAsync(ct));

        Assert.Equal(Noon, read!.CreatedAt);
        Assert.Equal(new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), read.CreatedAt.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal("12:00", reader.GetString(0));
        Assert.Equal("2026-11-25 04:00:00-08", reader.GetString(1));
    }
}
