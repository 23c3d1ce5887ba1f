using System.Diagnostics;

namespace TeslaDb.Admin.Core;

/// <summary>
/// A purge from start to end in one call: count, ask (through <see cref="IPurgeConfirmation"/>), delete in batches
/// with progress, stop cleanly when cancelled (the batches already done stay done), and say what happened. The
/// console calls it once per purge and shows the outcome; nothing goes back and forth between screen and view.
/// </summary>
public sealed class PurgeWorkflow(AdminSession session, IPurgeConfirmation confirmation, int batchSize = CachePurges.DefaultBatchSize)
{
    private readonly CachePurges _purges = new(session, batchSize);

    /// <exception cref="UserInputException">The session is read-only.</exception>
    public async Task<PurgeOutcome> RunAsync(PurgeScope scope, PurgeProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        session.EnsureWritable();
        var plan = await _purges.PlanAsync(scope, cancellationToken);
        if (plan.Count == 0)
        {
            return new PurgeOutcome(PurgeEnd.NothingToDelete, 0, TimeSpan.Zero, plan.Question, plan);
        }

        progress.Counted(plan);
        if (!await confirmation.ConfirmAsync(plan, session.Environment.NeedsTypedCount(plan.Count, session.TypedConfirmAbove), cancellationToken))
        {
            return new PurgeOutcome(PurgeEnd.Declined, 0, TimeSpan.Zero, "Purge cancelled: nothing was deleted.", plan);
        }

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        progress.StartDeleting();
        PurgeOutcome outcome;
        try
        {
            var deleted = await plan.ExecuteAsync(progress, cancellationToken);
            outcome = new PurgeOutcome(PurgeEnd.Completed, deleted, clock.Elapsed, plan.Done(deleted, clock.Elapsed), plan);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The statement running when the cancel came was rolled back; every batch before it is committed.
            var deleted = progress.Deleted;
            var message = $"Purge cancelled after {Format.Plural(deleted, "cached response", "cached responses")} of {Format.Count(plan.Count)} ({plan.What}): what was deleted stays deleted.";
            outcome = new PurgeOutcome(PurgeEnd.Cancelled, deleted, clock.Elapsed, message, plan);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The batches before the failure are deleted: the journal says so, then the error is shown as usual.
            await session.Journal.RecordAsync(JournalRecord.Here(startedAt, scope, plan.Count, progress.Deleted, clock.Elapsed, "failed"), CancellationToken.None);
            throw;
        }
        finally
        {
            progress.Stopped();
        }

        // Written even for a cancelled purge, and not with the cancelled token: the record is the point.
        var outcomeName = outcome.End == PurgeEnd.Completed ? "completed" : "cancelled";
        var notJournaled = await session.Journal.RecordAsync(
            JournalRecord.Here(startedAt, scope, plan.Count, outcome.Deleted, outcome.Elapsed, outcomeName), CancellationToken.None);
        return notJournaled is null ? outcome : outcome with { Message = $"{outcome.Message} ({notJournaled})" };
    }
}
