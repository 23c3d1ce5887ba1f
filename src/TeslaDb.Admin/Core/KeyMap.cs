namespace TeslaDb.Admin.Core;

/// <summary>Every key of the console, as the help screen lists them (the views bind exactly these).</summary>
public static class KeyMap
{
    public static IReadOnlyList<(string Keys, string Action)> Keys { get; } =
    [
        ("↑ ↓  j k", "move; past the first or last row loads the previous or next page"),
        ("PgUp PgDn", "a screen up or down (and across pages)"),
        ("Enter", "open: account → vehicles → cached responses → JSON (double-click too)"),
        ("Esc  Backspace", "back one level"),
        ("/", "filter this list (accounts: user id or e-mail; vehicles: VIN; responses: endpoint)"),
        ("g", "go to a vehicle by VIN, from anywhere"),
        ("F5", "refresh this list"),
        ("d  Delete", "purge the selected entry, or all cached for the selected vehicle or account"),
        ("e", "purge the selected endpoint for every vehicle"),
        ("x", "purge every expired cached response (cleanup_expired_cache())"),
        ("s", "cache statistics per endpoint"),
        ("m", "migration status"),
        ("? F1", "this help"),
        ("q", "quit"),
    ];
}
