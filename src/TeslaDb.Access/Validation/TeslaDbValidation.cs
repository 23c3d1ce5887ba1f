using System.Text.Json;
using System.Text.RegularExpressions;

namespace TeslaDb.Access.Validation;

/// <summary>Checks made before any SQL runs, each failing with an <see cref="ArgumentException"/> that says what is wrong.</summary>
public static partial class TeslaDbValidation
{
    // 17 characters of digits and capital letters without I, O and Q. The position-9 check digit is a
    // North-American rule that Tesla's own sample VINs break: not checked.
    [GeneratedRegex("^[A-HJ-NPR-Z0-9]{17}$")]
    private static partial Regex VinPattern();

    [GeneratedRegex("^[A-HJ-NPR-Z0-9]{1,17}$")]
    private static partial Regex VinPrefixPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex EndpointPattern();

    /// <summary>The VIN as given when it is one (17 characters, digits and capital letters except I, O and Q).</summary>
    /// <exception cref="ArgumentException">Not a VIN; the message says why, naming <paramref name="parameter"/>.</exception>
    public static string Vin(string? vin, string parameter = "vin") =>
        vin is not null && VinPattern().IsMatch(vin)
            ? vin
            : throw new ArgumentException($"'{Shorten(vin)}' is not a VIN: 17 characters, digits and capital letters except I, O and Q.", parameter);

    /// <summary>The start of a VIN, upper-cased (operators type in lower case).</summary>
    public static string VinPrefix(string? prefix, string parameter = "vinPrefix")
    {
        var upper = prefix?.Trim().ToUpperInvariant();
        return upper is not null && VinPrefixPattern().IsMatch(upper)
            ? upper
            : throw new ArgumentException($"'{Shorten(prefix)}' cannot start a VIN: up to 17 digits and letters except I, O and Q.", parameter);
    }

    /// <summary>The endpoint name as given when it is one (a lower-case identifier such as <c>charge_state</c>).</summary>
    /// <exception cref="ArgumentException">Not an endpoint name.</exception>
    public static string Endpoint(string? endpoint, string parameter = "endpointName") =>
        endpoint is not null && EndpointPattern().IsMatch(endpoint)
            ? endpoint
            : throw new ArgumentException($"'{Shorten(endpoint)}' is not an endpoint name: a lower-case identifier such as charge_state (letters, digits, '_').", parameter);

    /// <summary>The time to live as given when it is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative.</exception>
    public static TimeSpan Ttl(TimeSpan ttl, string parameter = "ttl") =>
        ttl > TimeSpan.Zero ? ttl : throw new ArgumentOutOfRangeException(parameter, ttl, "The time to live must be positive.");

    /// <summary>Whether the text is an endpoint name (see <see cref="Endpoint"/>), without throwing.</summary>
    public static bool IsEndpoint(string? endpoint) => endpoint is not null && EndpointPattern().IsMatch(endpoint);

    /// <summary>jsonb refuses a value above 255 MiB (its 28-bit size field); checked on the JSON text's UTF-8 length.</summary>
    public const int MaxPayloadBytes = (1 << 28) - 1;

    /// <summary>
    /// A payload to store as jsonb: a JSON object or array that PostgreSQL accepts — no <c>\u0000</c> (jsonb cannot
    /// hold it: 22P05), no lone surrogate escape (22P02), at most <see cref="MaxPayloadBytes"/>. Refused here, before
    /// any SQL, so that a bad payload can never fail at bind on a pooled connection (docs/reliability.md). The message
    /// never repeats the payload (it may be a token).
    /// </summary>
    public static JsonElement Payload(JsonElement payload, string parameter = "payload") => Payload(payload, parameter, MaxPayloadBytes);

    /// <summary><see cref="Payload(JsonElement, string)"/> with another size limit (tests cannot build 256 MiB).</summary>
    internal static JsonElement Payload(JsonElement payload, string parameter, int maxBytes)
    {
        if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            throw new ArgumentException($"The payload must be a JSON object or array, not {payload.ValueKind}.", parameter);
        }

        var text = payload.GetRawText();
        // A char is at most 3 UTF-8 bytes: count the bytes only when the text might be over.
        if (text.Length > maxBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            throw new ArgumentException($"The payload is larger than jsonb's limit of {maxBytes} bytes.", parameter);
        }

        if (UnstorableText(text) is { } problem)
        {
            throw new ArgumentException($"The payload cannot be stored as jsonb: {problem}.", parameter);
        }

        return payload;
    }

    // The raw JSON text keeps its escapes as written: walk them (a "\\" is an escaped backslash, not an escape).
    private static string? UnstorableText(string text)
    {
        var highPending = false;
        for (var i = 0; i < text.Length; i++)
        {
            int unit;
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] != 'u' || i + 5 >= text.Length)
                {
                    i++;
                    if (highPending)
                    {
                        return "a high surrogate escape not followed by a low one";
                    }

                    continue;
                }

                unit = int.Parse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                i += 5;
                if (unit == 0)
                {
                    return "a \\u0000 (NUL) character, which jsonb does not accept";
                }
            }
            else
            {
                unit = text[i];
            }

            if (char.IsHighSurrogate((char)unit))
            {
                if (highPending)
                {
                    return "a high surrogate not followed by a low one";
                }

                highPending = true;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                if (!highPending)
                {
                    return "a low surrogate without a high one before it";
                }

                highPending = false;
            }
            else if (highPending)
            {
                return "a high surrogate not followed by a low one";
            }
        }

        return highPending ? "a high surrogate at the end of a string" : null;
    }

    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}
