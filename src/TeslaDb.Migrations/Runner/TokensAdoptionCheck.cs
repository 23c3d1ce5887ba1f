using Npgsql;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Before migration 202611251010 adopts an existing <c>public.tokens</c> table: refuses one whose shape is not the one
/// it adopts (DESIGN.md: <c>key text</c> primary key, <c>token_data jsonb</c>, <c>expires_at</c>, <c>created_at</c>,
/// <c>updated_at</c> as <c>timestamptz</c>). Adopted as it is, such a table passes <c>up</c> and then breaks: the
/// updated_at trigger fails every UPDATE when the column is missing, the repositories' jsonb operators and upsert
/// fail on <c>json</c> or without a unique key, and Npgsql cannot read a <c>timestamp</c> as an instant. The message
/// lists each difference with the statement that fixes it; the types are not converted here, because only the DBA
/// knows which time zone a <c>timestamp</c> column was written in. Nothing is changed before the refusal.
/// </summary>
internal static class TokensAdoptionCheck
{
    /// <summary>The migration that adopts (or creates) the table.</summary>
    public const long AdoptingVersion = 202611251010;

    // Column, accepted types as format_type() prints them (varchar of any length counts as text), and the fix.
    private static readonly (string Column, string[] Types, string Expected, string Fix)[] Columns =
    [
        ("key", ["text", "character varying"], "text", "ALTER TABLE public.tokens ALTER COLUMN key TYPE text"),
        ("token_data", ["jsonb"], "jsonb", "ALTER TABLE public.tokens ALTER COLUMN token_data TYPE jsonb USING token_data::jsonb"),
        ("expires_at", ["timestamp with time zone"], "timestamptz", "ALTER TABLE public.tokens ALTER COLUMN expires_at TYPE timestamptz USING expires_at AT TIME ZONE 'UTC' (the zone its values were written in)"),
        ("created_at", ["timestamp with time zone"], "timestamptz", "ALTER TABLE public.tokens ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC' (the zone its values were written in)"),
        ("updated_at", ["timestamp with time zone"], "timestamptz", "ALTER TABLE public.tokens ALTER COLUMN updated_at TYPE timestamptz USING updated_at AT TIME ZONE 'UTC' (the zone its values were written in)"),
    ];

    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
          FROM pg_attribute a
         WHERE a.attrelid = to_regclass('public.tokens') AND a.attnum > 0 AND NOT a.attisdropped
        """;

    // A unique index on key alone: the upserts' ON CONFLICT (key) needs one.
    private const string UniqueKeySql = """
        SELECT EXISTS (
            SELECT 1
              FROM pg_index i
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = to_regclass('public.tokens') AND i.indisunique AND i.indnkeyatts = 1
               AND i.indpred IS NULL AND a.attname = 'key')
        """;

    /// <exception cref="TokensNotAdoptableException">public.tokens exists and differs from the adopted shape.</exception>
    public static async Task EnsureAdoptableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(ColumnsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = reader.GetString(1);
            }
        }

        if (found.Count == 0)
        {
            return; // no table: the migration creates it
        }

        var differences = new List<string>();
        foreach (var (column, types, expected, fix) in Columns)
        {
            if (!found.TryGetValue(column, out var type))
            {
                differences.Add(column == "key" || column == "token_data"
                    ? $"{column} is missing"
                    : $"{column} is missing (ALTER TABLE public.tokens ADD COLUMN {column} timestamptz{(column == "expires_at" ? string.Empty : " NOT NULL DEFAULT now()")})");
            }
            else if (!types.Any(t => type == t || type.StartsWith(t + "(", StringComparison.Ordinal)))
            {
                differences.Add($"{column} is {type}, not {expected} ({fix})");
            }
        }

        if (found.ContainsKey("key"))
        {
            await using var unique = new NpgsqlCommand(UniqueKeySql, connection);
            if (!(bool)(await unique.ExecuteScalarAsync(cancellationToken))!)
            {
                differences.Add("key is not unique (ALTER TABLE public.tokens ADD PRIMARY KEY (key))");
            }
        }

        if (differences.Count > 0)
        {
            throw new TokensNotAdoptableException(differences);
        }
    }
}
