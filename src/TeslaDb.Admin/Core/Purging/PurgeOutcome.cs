namespace TeslaDb.Admin.Core;

/// <summary>How a purge the operator started ended.</summary>
public enum PurgeEnd
{
    /// <summary>The count was zero: nothing was asked, nothing deleted.</summary>
    NothingToDelete,

    /// <summary>The operator said no: nothing was deleted.</summary>
    Declined,

    /// <summary>Every batch ran.</summary>
    Completed,

    /// <summary>Cancelled between or during batches: the batches already done stay done.</summary>
    Cancelled,
}

/// <summary>The result of <see cref="PurgeWorkflow.RunAsync"/>: what happened and the one line that says so.</summary>
public sealed record PurgeOutcome(PurgeEnd End, long Deleted, TimeSpan Elapsed, string Message, PurgePlan? Plan);
