using System.Text;

namespace TeslaDb.Admin.Core;

/// <summary>
/// Writes a whole list (every page, in its current filter and order) or one response's JSON to a file. The list is
/// streamed: a keyset page is read, written and dropped before the next is read, so memory stays at one page however
/// long the list. The file is written under a temporary name and moved into place at the end: a cancelled or failed
/// export leaves no half file behind. Nothing here knows Terminal.Gui; the console shows <see cref="Written"/> as progress.
/// </summary>
/// <param name="pageSize">Rows read per keyset page while exporting.</param>
public sealed class ListExport(int pageSize = ListExport.DefaultPageSize)
{
    public const int DefaultPageSize = 1000;

    private long _written;

    /// <summary>Rows written so far (read from any thread).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes every row of <paramref name="list"/> to <paramref name="path"/> (.csv or .jsonl); returns the rows written.</summary>
    /// <exception cref="UserInputException">The format does not fit a list, or the file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: no file was left.</exception>
    public async Task<long> WriteListAsync(ListScreen list, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var format = ExportFormats.FromPath(path);
        if (format == ExportFormat.Json)
        {
            throw new UserInputException("A list is exported as .csv or .jsonl (one JSON object per line), not .json.");
        }

        var columns = list.ExportColumns;
        await WriteAtomicallyAsync(path, async writer =>
        {
            if (format == ExportFormat.Csv)
            {
                await writer.WriteLineAsync(RowText.CsvLine(columns));
            }

            await foreach (var row in list.AllRowsAsync(pageSize, cancellationToken))
            {
                await writer.WriteLineAsync(format == ExportFormat.Csv ? RowText.CsvLine(row) : RowText.JsonObject(columns, row));
                Interlocked.Increment(ref _written);
            }
        }, cancellationToken);
        return Written;
    }

    /// <summary>Writes the response's JSON, secrets hidden: indented for .json, on one line for .jsonl.</summary>
    /// <exception cref="UserInputException">The format does not fit JSON, or the file cannot be written.</exception>
    public async Task WriteJsonAsync(ResponseScreen response, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var format = ExportFormats.FromPath(path);
        if (format == ExportFormat.Csv)
        {
            throw new UserInputException("The open JSON is exported as .json or .jsonl, not .csv.");
        }

        await WriteAtomicallyAsync(path, writer => writer.WriteLineAsync(SecretMask.Json(response.Response.Data, indented: format == ExportFormat.Json)), cancellationToken);
        Interlocked.Exchange(ref _written, 1);
    }

    private static async Task WriteAtomicallyAsync(string path, Func<StreamWriter, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var partial = full + ".partial";
        try
        {
            await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                await write(writer);
                cancellationToken.ThrowIfCancellationRequested();
            }

            File.Move(partial, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(partial);
            throw new UserInputException($"Cannot write {full}: {e.Message}");
        }
        catch
        {
            DeleteQuietly(partial);
            throw;
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder is missing or not ours: there is no half file to remove.
        }
    }
}
