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

    public static string Endpoint(string? endpoint, string parameter = "endpointName") =>
        endpoint is not null && EndpointPattern().IsMatch(endpoint)
            ? endpoint
            : throw new ArgumentException($"'{Shorten(endpoint)}' is not an endpoint name: a lower-case identifier such as charge_state (letters, digits, '_').", parameter);

    public static TimeSpan Ttl(TimeSpan ttl, string parameter = "ttl") =>
        ttl > TimeSpan.Zero ? ttl : throw new ArgumentOutOfRangeException(parameter, ttl, "The time to live must be positive.");

    /// <summary>A payload to store as jsonb: a JSON object or array. The message never repeats the payload (it may be a token).</summary>
    public static JsonElement Payload(JsonElement payload, string parameter = "payload") =>
        payload.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? payload
            : throw new ArgumentException($"The payload must be a JSON object or array, not {payload.ValueKind}.", parameter);

    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}
