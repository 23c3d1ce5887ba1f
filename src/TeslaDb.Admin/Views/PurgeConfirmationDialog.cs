using Terminal.Gui.App;
using Terminal.Gui.Views;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Asks the operator to confirm a purge, on the UI thread, for a workflow running off it.</summary>
internal sealed class PurgeConfirmationDialog(IApplication app) : IPurgeConfirmation
{
    public Task<bool> ConfirmAsync(PurgePlan plan, bool typeCount, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Invoke(() =>
        {
            try
            {
                answer.TrySetResult(typeCount ? AskForTheCount(plan) : AskForTheKey(plan));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                answer.TrySetException(e);
            }
        });
        return answer.Task;
    }

    // Cancel is the default (Enter) and the confirming hot key is P, never the key that opened this (d, e, x): a
    // double press cannot delete anything.
    private bool AskForTheKey(PurgePlan plan) =>
        MessageBox.Query(app, "Purge the cache", plan.Question, $"_Purge {Format.Count(plan.Count)}", "_Cancel") == 0;

    private bool AskForTheCount(PurgePlan plan)
    {
        var typed = PromptDialog.Ask(app, $"Purge {plan.What}", $"Type {plan.Count} to confirm deleting {Format.Plural(plan.Count, "cached response", "cached responses")} (Esc cancels):");
        return typed is not null && long.TryParse(typed.Trim().Replace(",", string.Empty, StringComparison.Ordinal), out var count) && count == plan.Count;
    }
}
