using System.Globalization;

namespace TeslaDb.Admin.Core;

/// <summary>How the console writes times, ages, sizes and counts: UTC, invariant, short.</summary>
public static class Format
{
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    /// <summary>An exported time: ISO 8601 in UTC with its fraction ("2026-12-02T16:30:00.1234560Z"); empty for none.</summary>
    public static string Iso(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : string.Empty;

    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            return "in " + Age(-age);
        }

        return age.TotalSeconds < 60 ? $"{(int)age.TotalSeconds} s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h {age.Minutes} min"
            : $"{(int)age.TotalDays} d";
    }

    public static string Bytes(long bytes) =>
        bytes < 1024 ? $"{bytes} B"
        : bytes < 1024 * 1024 ? (bytes / 1024.0).ToString("0.0 'KB'", CultureInfo.InvariantCulture)
        : bytes < 1024L * 1024 * 1024 ? (bytes / 1024.0 / 1024).ToString("0.0 'MB'", CultureInfo.InvariantCulture)
        : (bytes / 1024.0 / 1024 / 1024).ToString("0.00 'GB'", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>"1 cached response" / "1,234 cached responses".</summary>
    public static string Plural(long count, string one, string many) => $"{Count(count)} {(count == 1 ? one : many)}";

    public static string Short(Guid id) => id.ToString("D")[..8] + "…";
}
