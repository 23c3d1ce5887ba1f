using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TeslaDb.Admin.Core;

/// <summary>How one exported row is written: a JSON object (JSON Lines, and a copied row) or a CSV line.</summary>
public static class RowText
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>{"column": "value", …} on one line.</summary>
    public static string JsonObject(IReadOnlyList<string> columns, IReadOnlyList<string> cells)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WriteString(columns[i], cells[i]);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One CSV line (RFC 4180): a field with a comma, quote or line break is quoted, quotes doubled.</summary>
    public static string CsvLine(IReadOnlyList<string> cells) => string.Join(",", cells.Select(Csv));

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
