using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Copy (c): the selected row, as a JSON object of its raw values, or the open JSON (secrets hidden), to the
/// terminal's clipboard through OSC 52.</summary>
internal sealed partial class AdminConsole
{
    private Osc52Clipboard CreateClipboard(ConsoleOptions options)
    {
        if (options.Clipboard is { } sink)
        {
            return new Osc52Clipboard(sink);
        }

        // A dumb terminal (or none) would print the sequence as text: say so instead of sending it.
        var term = Environment.GetEnvironmentVariable("TERM");
        return string.IsNullOrEmpty(term) || term == "dumb"
            ? new Osc52Clipboard(null)
            : new Osc52Clipboard(sequence => _app.Driver?.WriteRaw(sequence));
    }

    private void Copy()
    {
        switch (_navigator.Current)
        {
            case ListScreen { Count: > 0 } list:
                var row = Math.Clamp(SelectedRow, 0, list.Count - 1);
                ShowMessage(_clipboard.Copy(RowText.JsonObject(list.ExportColumns, list.ExportRow(row)), "the selected row"));
                break;
            case ResponseScreen response:
                ShowMessage(_clipboard.Copy(response.Json, $"the JSON of {response.Response.EndpointName}"));
                break;
            default:
                ShowMessage("Nothing to copy: select a row or open a response.");
                break;
        }
    }
}
