using Terminal.Gui.Views;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Purges: the screen says what is selected, <see cref="PurgeWorkflow"/> does the rest in one call, the
/// console shows its progress and its outcome.</summary>
internal sealed partial class AdminConsole
{
    private PurgeProgress? _purge;
    private CancellationTokenSource? _purgeCancel;

    private void PurgeSelected()
    {
        switch (_navigator.Current)
        {
            case ListScreen { Count: > 0 } list when list.PurgeScopeOf(SelectedRow) is { } scope:
                Purge(scope);
                break;
            case ResponseScreen response:
                Purge(response.PurgeScope);
                break;
            default:
                ShowMessage("Nothing selected to purge.");
                break;
        }
    }

    private void PurgeEndpoint()
    {
        var endpoint = _navigator.Current switch
        {
            ResponseScreen response => response.Response.EndpointName,
            ListScreen { Count: > 0 } list => list.EndpointOf(SelectedRow),
            _ => null,
        };
        if (endpoint is null)
        {
            ShowMessage("Select a cached response first: e purges its endpoint for every vehicle.");
            return;
        }

        Purge(new PurgeScope.Endpoint(endpoint));
    }

    private void Purge(PurgeScope scope)
    {
        if (_navigator.Session.ReadOnly)
        {
            ShowMessage(_navigator.Session.ReadOnlyText);
            return;
        }

        var progress = new PurgeProgress();
        var cancel = new CancellationTokenSource();
        PurgeOutcome? outcome = null;
        var started = InBackground(progress.Phase, async _ => outcome = await _purges.RunAsync(scope, progress, cancel.Token), () =>
        {
            EndPurge();
            ShowMessage(outcome!.Message);
            if (outcome.End is PurgeEnd.Completed or PurgeEnd.Cancelled)
            {
                MessageBox.Query(_app, outcome.End == PurgeEnd.Completed ? "Purged" : "Purge cancelled", outcome.Message, "_OK");
                AfterPurge();
            }
        }, onError: EndPurge);
        if (started)
        {
            _purge = progress;
            _purgeCancel = cancel;
        }
        else
        {
            cancel.Dispose();
        }
    }

    private void CancelPurge()
    {
        _purgeCancel?.Cancel();
        ShowMessage("Cancelling the purge: the batch under way is rolled back, the ones before it stay deleted…");
    }

    private void EndPurge()
    {
        _purge = null;
        _purgeCancel?.Dispose();
        _purgeCancel = null;
    }

    private void AfterPurge()
    {
        if (_navigator.Current is ResponseScreen)
        {
            _navigator.Back();
        }

        if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            InBackground("Refreshing", list.ReloadAsync, () => Render(select: row), keepMessage: true);
        }
    }
}
