using Npgsql;
using NpgsqlTypes;

namespace TeslaDb.Admin.Core;

/// <summary>
/// Reads and writes <c>tesladb.admin_journal</c>: one row per purge the operator confirmed, written when it ends
/// (completed, cancelled part-way, or failed), with who ran it from where. The table comes from the migration
/// 202612024000; on a database migrated before it, <see cref="RecordAsync"/> says so instead of failing the purge.
/// </summary>
public sealed class PurgeJournal(NpgsqlDataSource data)
{
    /// <summary>Appended to a purge's message when the journal could not be written.</summary>
    public const string MissingTable = "not journaled: this database has no tesladb.admin_journal (run tesladb-migrate up)";

    /// <summary>Writes one entry; returns null when written, or why not (the table is missing).</summary>
    public async Task<string?> RecordAsync(JournalRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = data.CreateCommand("""
            INSERT INTO tesladb.admin_journal (started_at, os_user, os_host, action, scope_kind, scope, rows_counted, rows_deleted, duration_ms, outcome)
            VALUES (@started, @user, @host, 'purge', @kind, @scope, @counted, @deleted, @ms, @outcome)
            """);
        command.Parameters.Add(new NpgsqlParameter("started", NpgsqlDbType.TimestampTz) { Value = record.StartedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Text) { Value = record.OsUser });
        command.Parameters.Add(new NpgsqlParameter("host", NpgsqlDbType.Text) { Value = record.OsHost });
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = record.ScopeKind });
        command.Parameters.Add(new NpgsqlParameter("scope", NpgsqlDbType.Text) { Value = record.Scope });
        command.Parameters.Add(new NpgsqlParameter("counted", NpgsqlDbType.Bigint) { Value = record.RowsCounted });
        command.Parameters.Add(new NpgsqlParameter("deleted", NpgsqlDbType.Bigint) { Value = record.RowsDeleted });
        command.Parameters.Add(new NpgsqlParameter("ms", NpgsqlDbType.Bigint) { Value = (long)record.Duration.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter("outcome", NpgsqlDbType.Text) { Value = record.Outcome });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return MissingTable;
        }
    }

    /// <summary>A page of entries, newest first, after the entry with id <paramref name="beforeId"/> (keyset).</summary>
    public async Task<IReadOnlyList<JournalEntry>> BrowseAsync(long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand("""
            SELECT id, started_at, database_role, os_user, os_host, scope_kind, scope, rows_counted, rows_deleted, duration_ms, outcome
              FROM tesladb.admin_journal
             WHERE @before IS NULL OR id < @before
             ORDER BY id DESC
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)beforeId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JournalEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8), TimeSpan.FromMilliseconds(reader.GetInt64(9)), reader.GetString(10)));
        }

        return entries;
    }
}

/// <summary>What a purge leaves in the journal (the database role is the session's own: current_user).</summary>
public sealed record JournalRecord(
    DateTimeOffset StartedAt, string OsUser, string OsHost, string ScopeKind, string Scope, long RowsCounted, long RowsDeleted, TimeSpan Duration, string Outcome)
{
    /// <summary>An entry for a purge run by this process's user on this machine.</summary>
    public static JournalRecord Here(DateTimeOffset startedAt, PurgeScope scope, long counted, long deleted, TimeSpan duration, string outcome) =>
        new(startedAt, Environment.UserName, Environment.MachineName, scope.Kind, scope.Target, counted, deleted, duration, outcome);
}

/// <summary>One row of the journal as read back.</summary>
public sealed record JournalEntry(
    long Id, DateTimeOffset StartedAt, string DatabaseRole, string OsUser, string OsHost, string ScopeKind, string Scope,
    long RowsCounted, long RowsDeleted, TimeSpan Duration, string Outcome);
