namespace TeslaDb.Admin.Core;

/// <summary>What an export file holds, chosen by its extension.</summary>
public enum ExportFormat
{
    /// <summary>.csv: a header line, then one line per row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>.jsonl: one JSON object per row (column → value), one per line.</summary>
    JsonLines,

    /// <summary>.json: the open response's JSON, indented (a list cannot be written so: use .jsonl).</summary>
    Json,
}

/// <summary>Reads the format from a file name.</summary>
public static class ExportFormats
{
    /// <exception cref="UserInputException">The extension is none of .csv, .jsonl, .json.</exception>
    public static ExportFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => ExportFormat.Csv,
        ".jsonl" or ".ndjson" => ExportFormat.JsonLines,
        ".json" => ExportFormat.Json,
        _ => throw new UserInputException($"Export to .csv or .jsonl (JSON Lines) for a list, .json or .jsonl for the open JSON: '{Path.GetFileName(path)}' is neither."),
    };
}
