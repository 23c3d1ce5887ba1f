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

    // Column, its type as format_type(type, NULL) prints it (no length or precision: timestamptz(3) is "timestamp
    // with time zone"), and whether it must be NOT NULL (the repositories read created_at and updated_at as values).
    // The same shape verify expects afterwards.
    private static readonly (string Column, string Type, string Short, bool NotNull)[] Columns =
    [
        ("key", "text", "text", true),
        ("token_data", "jsonb", "jsonb", true),
        ("expires_at", "timestamp with time zone", "timestamptz", false),
        ("created_at", "timestamp with time zone", "timestamptz", true),
        ("updated_at", "timestamp with time zone", "timestamptz", true),
    ];

    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, NULL), a.attnotnull
          FROM pg_attribute a
         WHERE a.attrelid = to_regclass('public.tokens') AND a.attnum > 0 AND NOT a.attisdropped
        """;

    // A unique index on key alone, valid and not deferrable: the upserts' ON CONFLICT (key) needs one.
    private const string UniqueKeySql = """
        SELECT EXISTS (
            SELECT 1
              FROM pg_index i
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = to_regclass('public.tokens') AND i.indisunique AND i.indnkeyatts = 1
               AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND a.attname = 'key')
        """;

    /// <exception cref="TokensNotAdoptableException">public.tokens exists and differs from the adopted shape.</exception>
    public static async Task EnsureAdoptableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Type, bool NotNull)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(ColumnsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2));
            }
        }

        if (found.Count == 0)
        {
            return; // no table: the migration creates it
        }

        var differences = new List<string>();
        foreach (var (column, type, expected, notNull) in Columns)
        {
            if (!found.TryGetValue(column, out var has))
            {
                differences.Add(column is "key" or "token_data"
                    ? $"{column} is missing"
                    : $"{column} is missing (fix: ALTER TABLE public.tokens ADD COLUMN {column} timestamptz{(notNull ? " NOT NULL DEFAULT now()" : string.Empty)})");
                continue;
            }

            if (has.Type != type)
            {
                differences.Add($"{column} is {has.Type}, not {expected} (fix: {Fix(column, has.Type, expected)})");
            }

            if (notNull && !has.NotNull)
            {
                differences.Add(column is "created_at" or "updated_at"
                    ? $"{column} may be null (fix: UPDATE public.tokens SET {column} = now() WHERE {column} IS NULL; ALTER TABLE public.tokens ALTER COLUMN {column} SET DEFAULT now(), ALTER COLUMN {column} SET NOT NULL)"
                    : $"{column} may be null (fix: ALTER TABLE public.tokens ALTER COLUMN {column} SET NOT NULL, once no row holds a null)");
            }
        }

        if (found.ContainsKey("key"))
        {
            await using var unique = new NpgsqlCommand(UniqueKeySql, connection);
            if (!(bool)(await unique.ExecuteScalarAsync(cancellationToken))!)
            {
                differences.Add("key is not unique (fix: ALTER TABLE public.tokens ADD PRIMARY KEY (key))");
            }
        }

        if (differences.Count > 0)
        {
            throw new TokensNotAdoptableException(differences);
        }
    }

    // A timestamp without zone is converted AT TIME ZONE the zone its values were written in (UTC here: say so).
    private static string Fix(string column, string type, string expected) => (type, expected) switch
    {
        ("timestamp without time zone", _) =>
            $"ALTER TABLE public.tokens ALTER COLUMN {column} TYPE timestamptz USING {column} AT TIME ZONE 'UTC' — with the zone its values were written in",
        ("json", "jsonb") => $"ALTER TABLE public.tokens ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb",
        _ => $"ALTER TABLE public.tokens ALTER COLUMN {column} TYPE {expected} USING {column}::{expected}",
    };
}
