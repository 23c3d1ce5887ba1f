namespace TeslaDb.Admin.Core;

/// <summary>Where a running purge is, read by the console's busy timer from the UI thread.</summary>
public sealed class PurgeProgress : IProgress<long>
{
    private long _deleted;
    private volatile PurgePlan? _plan;
    private volatile string _phase = "Counting what would go";

    /// <summary>Rows deleted so far (batches done).</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>"Counting what would go", "Waiting for the confirmation", "Deleting".</summary>
    public string Phase => _phase;

    /// <summary>The plan once counted.</summary>
    public PurgePlan? Plan => _plan;

    /// <summary>True while rows are being deleted (the only phase a cancel can stop part-way).</summary>
    public bool Deleting { get; private set; }

    /// <summary>"Deleting… 10,000 of 25,000 deleted" or the phase alone.</summary>
    public string Describe() => Deleting && Plan is { ReportsProgress: true } plan
        ? $"{Phase}… {Format.Count(Deleted)} of {Format.Count(plan.Count)} deleted"
        : $"{Phase}…";

    /// <summary>Raised on the purging thread after each batch with the rows deleted so far.</summary>
    public event Action<long>? BatchDone;

    public void Report(long value)
    {
        Interlocked.Exchange(ref _deleted, value);
        BatchDone?.Invoke(value);
    }

    internal void Counted(PurgePlan plan)
    {
        _plan = plan;
        _phase = "Waiting for the confirmation";
    }

    internal void StartDeleting()
    {
        Interlocked.Exchange(ref _deleted, 0);
        Deleting = true;
        _phase = "Deleting";
    }

    internal void Stopped() => Deleting = false;
}
