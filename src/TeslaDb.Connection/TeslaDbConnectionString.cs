using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace TeslaDb.Connection;

/// <summary>
/// Parses what a user gives as a connection: an Npgsql keyword string (<c>Host=…;Username=…</c>) or a
/// <c>postgres://</c> / <c>postgresql://</c> URL as Supabase and most hosts hand out. Npgsql itself does not
/// read URLs, so they are translated here into an <see cref="NpgsqlConnectionStringBuilder"/>.
/// </summary>
public static class TeslaDbConnectionString
{
    private const string KeywordHint =
        "use Key=Value pairs separated by ';' (Host=…;Port=5432;Username=…;Password=…;Database=…) "
        + "or a postgresql://user:password@host:5432/database URL";

    // libpq URL parameters we translate; anything else is refused rather than silently ignored.
    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> UrlParameters =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["sslmode"] = (b, v) => b.SslMode = ParseSslMode(v),
            ["sslrootcert"] = (b, v) => b.RootCertificate = v,
            ["sslcert"] = (b, v) => b.SslCertificate = v,
            ["sslkey"] = (b, v) => b.SslKey = v,
            ["application_name"] = (b, v) => b.ApplicationName = v,
            ["connect_timeout"] = (b, v) => b.Timeout = ParseSeconds("connect_timeout", v),
            ["options"] = (b, v) => b.Options = v,
            ["target_session_attrs"] = (b, v) => b.TargetSessionAttributes = v,
        };

    /// <summary>True when the text is a URL (<c>postgres://</c> or <c>postgresql://</c>).</summary>
    public static bool IsUrl(string text) =>
        text.TrimStart().StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || text.TrimStart().StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a keyword string or a URL.</summary>
    /// <exception cref="ConnectionStringException">The text cannot be used; the message says why.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConnectionStringException("The connection string is empty: " + KeywordHint + ".");
        }

        var builder = IsUrl(text) ? FromUrl(text.Trim()) : FromKeywords(text);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ConnectionStringException("The connection string names no host: add Host=… (or use a URL).");
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromKeywords(string text)
    {
        // Read the pairs with the generic parser first so that a syntax error can be reported without Npgsql
        // echoing a fragment of the text (a value, possibly the password, could end up in its message).
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException e)
        {
            throw new ConnectionStringException("The connection string is malformed: " + KeywordHint + "; put values containing ';' in double quotes.", e);
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var position = 0;
        var afterSecret = false;
        foreach (string key in generic.Keys)
        {
            position++;
            try
            {
                builder[key] = generic[key];
            }
            catch (ArgumentException e) when (!builder.ContainsKey(key))
            {
                // After a password, an unknown "keyword" may be the rest of a password with an unquoted ';':
                // then it is not shown.
                var which = afterSecret ? $"Keyword number {position}" : $"'{key}'";
                throw new ConnectionStringException(
                    $"{which} of the connection string is not an Npgsql keyword: check its spelling (Host, Port, Username, Password, Database, SSL Mode, …) and quote values that contain ';'.",
                    e);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidCastException)
            {
                throw new ConnectionStringException(
                    $"The value of keyword number {position} of the connection string is not valid for it ({Describe(key)}).",
                    e);
            }

            afterSecret |= IsSecret(key);
        }

        return builder;
    }

    private static bool IsSecret(string key) =>
        key.Contains("pass", StringComparison.OrdinalIgnoreCase) || key.Contains("pwd", StringComparison.OrdinalIgnoreCase);

    private static string Describe(string key) => IsSecret(key) ? "a password" : key;

    private const string MalformedUrl =
        "The connection URL is malformed: write postgresql://user:password@host:5432/database (several hosts as host1:5432,host2:5432) and percent-encode special characters in the user and password (@ as %40, : as %3A, / as %2F, # as %23).";

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        // libpq's URLs may name several hosts (postgresql://u:p@db1:5432,db2:5432/db?target_session_attrs=primary:
        // failover, replicas), which System.Uri cannot read: the list is set aside and the URL read with its first host.
        var hosts = SplitHosts(ref text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ConnectionStringException(MalformedUrl);
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = hosts ?? uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            builder.Username = Uri.UnescapeDataString(user);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!UrlParameters.TryGetValue(name, out var apply))
            {
                throw new ConnectionStringException(
                    $"The connection URL has a parameter this tool does not support ('{name}'); supported: {string.Join(", ", UrlParameters.Keys)}.");
            }

            apply(builder, value);
        }

        return builder;
    }

    // A host list in the URL's authority: returns it as Npgsql's multi-host Host (host:port,host:port; a port left out
    // is 5432, as in libpq) and leaves the URL with its first host only; null, URL untouched, for a single host.
    private static string? SplitHosts(ref string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        var hostsAt = authority.LastIndexOf('@') + 1;
        var list = authority[hostsAt..];
        if (!list.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var hosts = new List<string>();
        foreach (var entry in list.Split(','))
        {
            if (!Uri.TryCreate($"postgresql://{entry}", UriKind.Absolute, out var one) || string.IsNullOrEmpty(one.Host) || one.PathAndQuery != "/")
            {
                throw new ConnectionStringException(MalformedUrl);
            }

            hosts.Add($"{one.Host}:{(one.IsDefaultPort || one.Port <= 0 ? 5432 : one.Port)}");
        }

        url = string.Concat(url.AsSpan(0, start + hostsAt), list.Split(',')[0], end < 0 ? string.Empty : url[end..]);
        return string.Join(',', hosts);
    }

    private static SslMode ParseSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new ConnectionStringException(
            $"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
    };

    private static int ParseSeconds(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new ConnectionStringException($"{name} must be a whole number of seconds.");

    /// <summary>
    /// A description of where a connection goes that is safe to print: user, host, port and database (the user's
    /// name when none is given: the database PostgreSQL then connects to), never the password.
    /// </summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@";
        // Without a database, PostgreSQL (and Npgsql) connect to the one named like the user: say so.
        var database = !string.IsNullOrEmpty(builder.Database) ? "/" + builder.Database
            : !string.IsNullOrEmpty(builder.Username) ? "/" + builder.Username
            : string.Empty;
        return $"{user}{Endpoints(builder)}{database}";
    }

    /// <summary>
    /// <paramref name="message"/> with each of <paramref name="arguments"/> that looks like a connection (a URL, or a
    /// keyword string) replaced by a placeholder. Command-line parsers quote an argument they could not place as it was
    /// typed ("Unrecognized command or argument 'postgresql://user:secret@…'"), password included.
    /// </summary>
    public static string HideConnections(string message, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var argument in arguments)
        {
            if (LooksLikeConnection(argument) && message.Contains(argument, StringComparison.Ordinal))
            {
                message = message.Replace(argument, "<connection string hidden>", StringComparison.Ordinal);
            }
        }

        return message;
    }

    // A URL, or a keyword string (several keywords, or one naming a password): not '--bogus=1' or 'x=y'.
    private static bool LooksLikeConnection(string argument) =>
        IsUrl(argument)
        || (argument.Contains('=', StringComparison.Ordinal)
            && (argument.Contains(';', StringComparison.Ordinal)
                || argument.Contains("password", StringComparison.OrdinalIgnoreCase)
                || argument.Contains("pwd", StringComparison.OrdinalIgnoreCase)
                || argument.Contains("psw", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// True when a host of the connection is Supabase's transaction pooler (a <c>*.pooler.supabase.com</c> host on
    /// port 6543, which Supabase documents as transaction mode), with that host and port. Every host of a list counts,
    /// each with its own port: a failover list may fall through to the pooler.
    /// </summary>
    public static bool IsSupabaseTransactionPooler(NpgsqlConnectionStringBuilder builder, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (name, at) in Hosts(builder))
        {
            if (at == 6543 && name.EndsWith(".pooler.supabase.com", StringComparison.OrdinalIgnoreCase))
            {
                (host, port) = (name, at);
                return true;
            }
        }

        (host, port) = (string.Empty, 0);
        return false;
    }

    /// <summary>Where the connection goes, as host:port — each host of a list with its own port (Npgsql's Port applies to
    /// those written without one; a bare IPv6 address gets brackets).</summary>
    internal static string Endpoints(NpgsqlConnectionStringBuilder builder) =>
        string.Join(',', Hosts(builder).Select(h => h.Host.Count(c => c == ':') > 1 && !h.Host.StartsWith('[') ? $"[{h.Host}]:{h.Port}" : $"{h.Host}:{h.Port}"));

    // Each host of Host (a comma-separated list in Npgsql) with the port it is reached on: its own (host:5433,
    // [::1]:5433) or the builder's Port. A bare IPv6 address (::1) has no port of its own.
    private static IEnumerable<(string Host, int Port)> Hosts(NpgsqlConnectionStringBuilder builder)
    {
        foreach (var entry in (builder.Host ?? string.Empty).Split(','))
        {
            var host = entry.Trim();
            var colon = host.LastIndexOf(':');
            var bracketed = host.StartsWith('[');
            if (colon > 0 && colon < host.Length - 1
                && (bracketed ? host[colon - 1] == ']' : host.IndexOf(':', StringComparison.Ordinal) == colon)
                && int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var own))
            {
                yield return (host[..colon], own);
            }
            else
            {
                yield return (host, builder.Port);
            }
        }
    }
}
