namespace TeslaDb.Migrations.Verify;

/// <summary>One object of the schema: its kind ("index"), its name ("public.idx_vehicles_vin") and its definition
/// as the catalog prints it. Two databases whose items are equal have the same schema.</summary>
internal sealed record SchemaItem(string Kind, string Name, string Definition)
{
    public string Key => $"{Kind} {Name}";

    /// <summary>One line of the expected-schema file: kind, name and definition separated by tabs; line breaks of
    /// the definition (function bodies) written as \n.</summary>
    public string ToLine() => $"{Kind}\t{Name}\t{Definition.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}";

    public static SchemaItem FromLine(string line)
    {
        var parts = line.Split('\t', 3);
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a schema line: {line}");
        }

        var definition = parts[2].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        return new SchemaItem(parts[0], parts[1], definition);
    }
}

/// <summary>A difference between the live database and the schema the migrations define, in plain words.</summary>
/// <param name="Kind">missing, unexpected or changed.</param>
public sealed record SchemaDifference(string Kind, string Object, string? Expected, string? Found)
{
    public string Describe() => Kind switch
    {
        "missing" => $"{Object} is missing (expected: {Flat(Expected)})",
        "unexpected" => $"{Object} is not defined by the migrations (found: {Flat(Found)})",
        _ => $"{Object} differs: expected {Flat(Expected)}; found {Flat(Found)}",
    };

    private static string Flat(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split(['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
}
