using Npgsql;
using TeslaDb.Migrations.Schema;

namespace TeslaDb.Migrations.Runner;

/// <summary>Reads and writes <c>tesladb.version_info</c> on our own session (FluentMigrator writes its rows; the
/// checksum column is ours).</summary>
internal static class VersionRecords
{
    private const string VersionTableName = $"{SchemaNames.VersionSchema}.{SchemaNames.VersionTable}";

    public static void RecordChecksum(NpgsqlConnection connection, long version, string checksum)
    {
        using var command = new NpgsqlCommand($"UPDATE {VersionTableName} SET checksum = @checksum WHERE version = @version", connection);
        command.Parameters.AddWithValue("checksum", checksum);
        command.Parameters.AddWithValue("version", version);
        command.ExecuteNonQuery();
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static Task<bool> VersionTableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ScalarAsync<bool>(connection, $"SELECT to_regclass('{VersionTableName}') IS NOT NULL", cancellationToken);

    public sealed record VersionRow(long Version, string Description, DateTimeOffset? AppliedOn, string? Checksum);

    public static async Task<Dictionary<long, VersionRow>> ReadVersionTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, VersionRow>();
        if (!await VersionTableExistsAsync(connection, cancellationToken))
        {
            return rows;
        }

        // to_jsonb(v) ->> 'checksum' reads null from a version table made before checksums existed (status and
        // verify only read; up adds the column under the lock).
        await using var command = new NpgsqlCommand(
            $"SELECT version, coalesce(description, ''), applied_on, to_jsonb(v) ->> 'checksum' FROM {VersionTableName} v", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // FluentMigrator writes applied_on as a UTC timestamp without time zone.
            DateTimeOffset? appliedOn = reader.IsDBNull(2)
                ? null
                : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
            rows[reader.GetInt64(0)] = new VersionRow(reader.GetInt64(0), reader.GetString(1), appliedOn, reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        return rows;
    }
}
