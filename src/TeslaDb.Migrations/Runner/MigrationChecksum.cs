using System.Security.Cryptography;
using System.Text;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// The checksum of a migration: SHA-256 of its version, its description and the SQL its Up generates (statements
/// trimmed, joined by new lines). Two migrations that generate nothing (Supabase-only ones off Supabase) still differ.
/// FluentMigrator records none, so a migration edited after it was applied would otherwise never be noticed.
/// </summary>
internal static class MigrationChecksum
{
    public static string Of(long version, string description, IEnumerable<string> statements)
    {
        var text = $"{version}\n{description}\n" + string.Join('\n', statements.Select(s => s.Trim().ReplaceLineEndings("\n")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
