namespace TeslaDb.Access;

/// <summary>
/// Where reads go and how they survive transient faults (configuration section <c>TeslaDb:Routing</c>). With a
/// multi-host connection string (<c>Host=primary:5432,standby:5432</c>) or a <see cref="ReadConnectionString"/>, the
/// reads that tolerate lag (cache reads, browsing, statistics) go to a standby; everything else to the primary.
/// docs/access.md lists which operation reads where.
/// </summary>
public sealed class TeslaDbRoutingOptions
{
    /// <summary>A separate connection for lag-tolerant reads (a standby, or several as a multi-host string); null:
    /// the standbys of a multi-host <c>ConnectionString</c>, or the primary when it names one host.</summary>
    public string? ReadConnectionString { get; set; }

    /// <summary>A standby further behind than this serves no read: the primary does (default 5 s).</summary>
    public TimeSpan MaxReplicaLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one lag sample of a standby is trusted before the next read measures it again on its own
    /// connection (default 1 s): at most one extra round trip per standby per interval, none per query.</summary>
    public TimeSpan LagSampleLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times an idempotent read is tried in all when it meets a transient fault (a restarted or
    /// shut-down server, a broken pooled connection, a failover); 1 turns retries off. Writes are never replayed.</summary>
    public int ReadAttempts { get; set; } = 4;

    /// <summary>The first wait between two attempts; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts (default 2 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One line per invalid setting, each naming it (<c>Routing:MaxReplicaLag must be positive …</c>).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxReplicaLag <= TimeSpan.Zero)
        {
            problems.Add($"Routing:MaxReplicaLag must be positive (it is {MaxReplicaLag}).");
        }

        if (LagSampleLifetime < TimeSpan.Zero)
        {
            problems.Add($"Routing:LagSampleLifetime must not be negative (it is {LagSampleLifetime}).");
        }

        if (ReadAttempts < 1)
        {
            problems.Add($"Routing:ReadAttempts must be at least 1 (it is {ReadAttempts}).");
        }

        if (FirstRetryDelay < TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            problems.Add($"Routing:FirstRetryDelay must be at least 0 and at most MaxRetryDelay (they are {FirstRetryDelay} and {MaxRetryDelay}).");
        }

        return problems;
    }
}
