using Npgsql;

namespace TeslaDb.Admin.Core;

/// <summary>The server a console session landed on: its address and whether it is a standby (a read replica, where
/// nothing can be written). Shown in the title; a standby makes the session read-only.</summary>
public sealed record ServerRole(string Address, bool IsStandby)
{
    public override string ToString() => $"{(IsStandby ? "standby" : "primary")} {Address}";

    /// <summary>Asks the server (one connection, <c>pg_is_in_recovery()</c>); with a multi-host string, the host a
    /// plain connection reaches.</summary>
    public static async Task<ServerRole> DetectAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var once = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(once.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        var standby = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ServerRole($"{connection.Host}:{connection.Port}", standby);
    }
}
