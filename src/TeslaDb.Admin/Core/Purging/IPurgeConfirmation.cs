namespace TeslaDb.Admin.Core;

/// <summary>
/// The one thing <see cref="PurgeWorkflow"/> needs from whoever shows it: the operator's yes or no to a counted plan.
/// The console asks with a dialog; tests answer directly.
/// </summary>
public interface IPurgeConfirmation
{
    /// <summary>True when the operator confirmed <paramref name="plan"/>. When <paramref name="typeCount"/> is set
    /// (a big purge on a database that is not local) a key press is not enough: the count must be typed.</summary>
    Task<bool> ConfirmAsync(PurgePlan plan, bool typeCount, CancellationToken cancellationToken);
}
