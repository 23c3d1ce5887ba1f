using System.Text;

namespace TeslaDb.Migrations.Plan;

/// <summary>
/// Splits SQL into statements and tokens the way PostgreSQL's lexer does for what matters to the lint: comments
/// (-- and nested /* */) are dropped, 'strings', E'strings' and $tag$ bodies $tag$ are text (a function body's
/// "CREATE INDEX" is not a statement), "quoted names" keep their case, unquoted words fold to lower case, and a
/// semicolon ends a statement only outside parentheses and quotes.
/// </summary>
internal static class SqlTokenizer
{
    /// <summary>The statements of <paramref name="sql"/>, each as its tokens and its own text (trimmed).</summary>
    public static IReadOnlyList<(IReadOnlyList<SqlToken> Tokens, string Text)> Statements(string sql)
    {
        var statements = new List<(IReadOnlyList<SqlToken>, string)>();
        var tokens = new List<SqlToken>();
        var start = 0;
        var depth = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var begin = i;
            var token = Next(sql, ref i);
            if (token is not { } t)
            {
                continue;
            }

            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")"))
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (t.IsSymbol(";") && depth == 0)
            {
                Flush(sql[start..begin]);
                start = i;
                continue;
            }

            tokens.Add(t);
        }

        Flush(sql[start..]);
        return statements;

        void Flush(string text)
        {
            if (tokens.Count > 0)
            {
                statements.Add((tokens.ToArray(), text.Trim()));
            }

            tokens.Clear();
        }
    }

    /// <summary>The tokens of one statement (or of a fragment such as an expression).</summary>
    public static IReadOnlyList<SqlToken> Tokens(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            if (Next(sql, ref i) is { } t)
            {
                tokens.Add(t);
            }
        }

        return tokens;
    }

    /// <summary>Reads the token at <paramref name="i"/> and moves past it; null for white space and comments.</summary>
    private static SqlToken? Next(string sql, ref int i)
    {
        var c = sql[i];
        if (char.IsWhiteSpace(c))
        {
            i++;
            return null;
        }

        if (c == '-' && At(sql, i + 1) == '-')
        {
            while (i < sql.Length && sql[i] != '\n')
            {
                i++;
            }

            return null;
        }

        if (c == '/' && At(sql, i + 1) == '*')
        {
            SkipBlockComment(sql, ref i);
            return null;
        }

        if (c == '\'')
        {
            return new SqlToken(SqlTokenKind.Text, Quoted(sql, ref i, '\'', backslashEscapes: false));
        }

        if ((c is 'e' or 'E') && At(sql, i + 1) == '\'')
        {
            i++;
            return new SqlToken(SqlTokenKind.Text, Quoted(sql, ref i, '\'', backslashEscapes: true));
        }

        if (c == '"')
        {
            return new SqlToken(SqlTokenKind.QuotedName, Quoted(sql, ref i, '"', backslashEscapes: false));
        }

        if (c == '$' && DollarTag(sql, i) is { } tag)
        {
            var bodyStart = i + tag.Length;
            var end = sql.IndexOf(tag, bodyStart, StringComparison.Ordinal);
            var body = end < 0 ? sql[bodyStart..] : sql[bodyStart..end];
            i = end < 0 ? sql.Length : end + tag.Length;
            return new SqlToken(SqlTokenKind.Text, body);
        }

        if (char.IsLetter(c) || c == '_')
        {
            var from = i;
            while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
            {
                i++;
            }

            return new SqlToken(SqlTokenKind.Word, sql[from..i].ToLowerInvariant());
        }

        if (char.IsDigit(c))
        {
            var from = i;
            while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '.'))
            {
                i++;
            }

            return new SqlToken(SqlTokenKind.Number, sql[from..i]);
        }

        if (c == ':' && At(sql, i + 1) == ':')
        {
            i += 2;
            return new SqlToken(SqlTokenKind.Symbol, "::");
        }

        i++;
        return new SqlToken(SqlTokenKind.Symbol, c.ToString());
    }

    private static char At(string sql, int i) => i < sql.Length ? sql[i] : '\0';

    private static void SkipBlockComment(string sql, ref int i)
    {
        // PostgreSQL's block comments nest.
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Reads a quoted run starting at the opening quote; a doubled quote stands for one.</summary>
    private static string Quoted(string sql, ref int i, char quote, bool backslashEscapes)
    {
        var value = new StringBuilder();
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslashEscapes && c == '\\' && i + 1 < sql.Length)
            {
                value.Append(sql[i + 1]);
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (At(sql, i + 1) == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(c);
            i++;
        }

        return value.ToString();
    }

    /// <summary>The dollar-quote opening at <paramref name="i"/> ("$$" or "$tag$"), or null ($1 is a parameter).</summary>
    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_'))
        {
            j++;
        }

        if (j >= sql.Length || sql[j] != '$' || (j > i + 1 && char.IsDigit(sql[i + 1])))
        {
            return null;
        }

        return sql[i..(j + 1)];
    }
}
