using System.Text.Json;

namespace TeslaDb.Access;

internal static class Json
{
    /// <summary>A detached element (the document's buffers are returned at once).</summary>
    public static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
