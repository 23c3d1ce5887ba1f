namespace TeslaDb.Admin.Core;

/// <summary>
/// A purge the operator is asked to confirm: what goes, and how many rows by the count taken just now. Nothing runs
/// until <see cref="ExecuteAsync"/>; it returns how many rows really went (others may have expired or been written
/// in between).
/// </summary>
public sealed class PurgePlan(string what, long count, Func<IProgress<long>?, CancellationToken, Task<long>> execute, bool reportsProgress)
{
    /// <summary>"every expired cached response", "the cache of vehicle 5YJ3…", …</summary>
    public string What { get; } = what;

    public long Count { get; } = count;

    /// <summary>False when the work is one statement (cleanup_expired_cache()): only the elapsed time can be shown.</summary>
    public bool ReportsProgress { get; } = reportsProgress;

    public string Question => Count == 0
        ? $"Nothing to delete: {What} holds no rows."
        : $"Delete {Format.Plural(Count, "cached response", "cached responses")}: {What}? Tokens, accounts and vehicles are kept.";

    public Task<long> ExecuteAsync(IProgress<long>? progress, CancellationToken cancellationToken) => execute(progress, cancellationToken);

    public string Done(long deleted, TimeSpan elapsed) =>
        $"Deleted {Format.Plural(deleted, "cached response", "cached responses")} ({What}) in {elapsed.TotalSeconds:0.0} s.";
}
