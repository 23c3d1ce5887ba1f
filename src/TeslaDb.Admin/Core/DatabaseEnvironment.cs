using System.Net;
using Npgsql;

namespace TeslaDb.Admin.Core;

/// <summary>How the console paints the database it is on: calm for a local one, a warning for a remote one,
/// alarm for one labelled production.</summary>
public enum EnvironmentTone
{
    Local,
    Remote,
    Production,
}

/// <summary>
/// Which database the operator is on, shown in the title and in colour: the label given with <c>--env</c> (or
/// "local" / "remote" as detected from the host), and whether the host is this machine. On a database that is not
/// local, or one labelled production, a purge of more than a threshold of rows needs its count typed, not a key
/// (a key can be pressed on autopilot; a number must be read).
/// </summary>
public sealed record DatabaseEnvironment(string Label, bool IsLocal, EnvironmentTone Tone)
{
    /// <summary>Rows above which a purge on a non-local database needs the count typed (--typed-confirm-above).</summary>
    public const long DefaultTypedConfirmAbove = 1_000;

    /// <summary>"PRODUCTION · remote", "local".</summary>
    public string Banner => string.Equals(Label, IsLocal ? "local" : "remote", StringComparison.OrdinalIgnoreCase)
        ? Label
        : $"{Label.ToUpperInvariant()} · {(IsLocal ? "local" : "remote")}";

    public static DatabaseEnvironment Detect(NpgsqlConnectionStringBuilder target, string? label)
    {
        ArgumentNullException.ThrowIfNull(target);
        var hosts = (target.Host ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var local = hosts.Length == 0 || hosts.All(IsLocalHost);
        var name = string.IsNullOrWhiteSpace(label) ? (local ? "local" : "remote") : label.Trim();
        var production = name.Contains("prod", StringComparison.OrdinalIgnoreCase) || name.Contains("live", StringComparison.OrdinalIgnoreCase);
        return new DatabaseEnvironment(name, local, production ? EnvironmentTone.Production : local ? EnvironmentTone.Local : EnvironmentTone.Remote);
    }

    /// <summary>True when a purge of <paramref name="count"/> rows must be confirmed by typing the count.</summary>
    public bool NeedsTypedCount(long count, long threshold) => (!IsLocal || Tone == EnvironmentTone.Production) && count > threshold;

    private static bool IsLocalHost(string entry)
    {
        var host = WithoutPort(entry);
        return host.StartsWith('/') // a Unix socket directory
               || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    // A host of a list may carry its own port (localhost:5433, [::1]:5433; a URL's list always does); a bare IPv6
    // address (::1) has several colons and no port.
    private static string WithoutPort(string entry)
    {
        if (entry.StartsWith('['))
        {
            var end = entry.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? entry[..(end + 1)] : entry;
        }

        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon == entry.LastIndexOf(':') ? entry[..colon] : entry;
    }
}
