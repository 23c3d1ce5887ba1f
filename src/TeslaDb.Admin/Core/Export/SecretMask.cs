using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeslaDb.Admin.Core;

/// <summary>
/// The last guard before JSON leaves the console (screen, clipboard, file): every property whose name says it holds a
/// token or a secret (access_token, refresh_token, id_token, tokens, …, api_key, password) has its value replaced,
/// wherever it is nested. Tesla's vehicle payloads can carry such fields; an operator never needs their values.
/// </summary>
public static class SecretMask
{
    public const string Hidden = "«hidden»";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool IsSecretName(string name) =>
        name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Equals("api_key", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="json"/> with every secret value hidden, indented or on one line.</summary>
    public static string Json(JsonElement json, bool indented = true)
    {
        var node = JsonNode.Parse(json.GetRawText());
        Mask(node);
        return node?.ToJsonString(indented ? Indented : Compact) ?? "null";
    }

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(name))
                    {
                        o[name] = Hidden;
                    }
                    else
                    {
                        Mask(o[name]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Mask(item);
                }

                break;
        }
    }
}
