using Npgsql;

namespace TeslaDb.Admin.Core;

/// <summary>The server a console session landed on: its address and whether it is a standby (a read replica, where
/// nothing can be written). Shown in the title; a standby makes the session read-only.</summary>
public sealed record ServerRole(string Address, bool IsStandby)
{
    public override string ToString() => $"{(IsStandby ? "standby" : "primary")} {Address}";

    /// <summary>The role, with the address only when <paramref name="target"/> (user@host:port/database) does not
    /// already name that one host: a title that says the same host:port twice was cut, at 80 columns, into what looks
    /// like another port.</summary>
    public string Describe(string target) =>
        target == Address || target.EndsWith($"@{Address}", StringComparison.Ordinal)
        || target.Contains($"@{Address}/", StringComparison.Ordinal) || target.StartsWith($"{Address}/", StringComparison.Ordinal)
            ? (IsStandby ? "standby" : "primary")
            : ToString();

    /// <summary>Asks the server (one connection, <c>pg_is_in_recovery()</c>); with a multi-host string, the host a
    /// plain connection reaches.</summary>
    public static async Task<ServerRole> DetectAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        LaunchSteps.Mark("role: start");
        var once = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false };
        var builder = new NpgsqlDataSourceBuilder(once.ConnectionString);
        // One boolean comes back: no need to load the server's catalogue of types first (a pg_type query and its
        // decoding, ~30–50 ms of the console's launch, issue 12). The session's own data sources still load them.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        await using var source = (once.Host ?? string.Empty).Contains(',', StringComparison.Ordinal) ? builder.BuildMultiHost() : builder.Build();
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        LaunchSteps.Mark("role: connection open");
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        var standby = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        // An IPv6 address in brackets, as the connection's description writes it ([::1]:5432).
        var host = connection.Host ?? string.Empty;
        return new ServerRole($"{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{connection.Port}", standby);
    }
}
