using System.Globalization;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Export (&gt;): the whole current list (every page, streamed by <see cref="ListExport"/>) or the open JSON to
/// a file; progress on the message line, Esc cancels and leaves no file.</summary>
internal sealed partial class AdminConsole
{
    private ListExport? _export;
    private CancellationTokenSource? _exportCancel;

    private void Export()
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var (name, prompt) = _navigator.Current switch
        {
            ListScreen list => ($"tesladb-{FileWord(list.Title)}-{stamp}.csv", "File to write every row of this list to (.csv, or .jsonl for JSON Lines):"),
            ResponseScreen response => ($"tesladb-{response.Response.EndpointName}-{stamp}.json", "File to write this JSON to (.json, or .jsonl for one line):"),
            _ => (null, null),
        };
        if (name is null)
        {
            ShowMessage("Nothing to export here.");
            return;
        }

        var path = PromptDialog.Ask(_app, "Export", prompt!, Path.Combine(_options.ExportFolder ?? ".", name));
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var export = new ListExport();
        var cancel = new CancellationTokenSource();
        var full = Path.GetFullPath(path.Trim());
        var screen = _navigator.Current;
        string? result = null;
        var started = InBackground($"Exporting to {full}", async _ =>
        {
            try
            {
                if (screen is ResponseScreen response)
                {
                    await export.WriteJsonAsync(response, full, cancel.Token);
                    result = $"Exported the JSON to {full}.";
                }
                else
                {
                    var rows = await export.WriteListAsync((ListScreen)screen, full, cancel.Token);
                    result = $"Exported {Format.Plural(rows, "row", "rows")} to {full}.";
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                result = $"Export cancelled after {Format.Plural(export.Written, "row", "rows")}: no file written.";
            }
        }, () =>
        {
            EndExport();
            ShowMessage(result!);
        }, onError: EndExport);
        if (started)
        {
            (_export, _exportCancel) = (export, cancel);
        }
        else
        {
            cancel.Dispose();
        }
    }

    private void CancelExport()
    {
        _exportCancel?.Cancel();
        ShowMessage("Cancelling the export…");
    }

    private void EndExport()
    {
        _exportCancel?.Dispose();
        (_export, _exportCancel) = (null, null);
    }

    /// <summary>The busy line while exporting: rows written so far.</summary>
    private string? ExportProgress() => _export is { } export ? $"Exporting: {Format.Plural(export.Written, "row", "rows")} written" : null;

    private static string FileWord(string title) =>
        new([.. title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
