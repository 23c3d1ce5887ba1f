using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace TeslaDb.Access;

/// <summary>
/// How far behind each standby is, measured on the connection a read already holds and trusted for
/// <see cref="TeslaDbRoutingOptions.LagSampleLifetime"/>: at most one extra round trip per standby per interval.
/// </summary>
/// <remarks>
/// Lag is measured on the standby alone, in time: zero while it has replayed all the WAL it received and its WAL
/// receiver is connected (an idle primary writes nothing, so the age of the last replayed commit would grow forever
/// on a standby that is fully caught up); otherwise the age of the last replayed commit
/// (<c>now() - pg_last_xact_replay_timestamp()</c>), which is how stale its answers may be. Comparing with the
/// primary's <c>pg_current_wal_lsn()</c> would cost a round trip to the primary that replica reads exist to spare,
/// and gives bytes, where the bound a caller can reason about ("cache reads up to 5 s old") is a time. A standby
/// whose receiver is disconnected reports the age of its last commit, so it is skipped once that passes the bound.
/// A server that is not in recovery (the primary, or a promoted standby) has no lag.
/// </remarks>
internal sealed class ReplicaLag(TimeSpan lifetime)
{
    internal const string LagSql = """
        SELECT CASE
                 WHEN NOT pg_is_in_recovery() THEN 0
                 WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
                      AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
                 ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'Infinity')
               END::float8
        """;

    private readonly ConcurrentDictionary<string, (long At, TimeSpan Lag)> _samples = new(StringComparer.Ordinal);

    /// <summary>The lag of the server <paramref name="connection"/> is on, sampled anew when the last sample is older
    /// than the lifetime.</summary>
    public async Task<TimeSpan> OfAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var server = $"{connection.Host}:{connection.Port}";
        if (_samples.TryGetValue(server, out var sample) && Stopwatch.GetElapsedTime(sample.At) < lifetime)
        {
            return sample.Lag;
        }

        await using var command = new NpgsqlCommand(LagSql, connection);
        var seconds = (double)(await command.ExecuteScalarAsync(cancellationToken))!;
        var lag = double.IsFinite(seconds) ? TimeSpan.FromSeconds(Math.Max(0, seconds)) : TimeSpan.MaxValue;
        _samples[server] = (Stopwatch.GetTimestamp(), lag);
        return lag;
    }

    /// <summary>Forgets every sample (after a failover, a standby may have become the primary).</summary>
    public void Clear() => _samples.Clear();
}
