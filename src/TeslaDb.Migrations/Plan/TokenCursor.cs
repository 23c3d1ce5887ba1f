namespace TeslaDb.Migrations.Plan;

/// <summary>Reads a statement's tokens front to back: optional keywords, qualified names, balanced parentheses.</summary>
internal sealed class TokenCursor(IReadOnlyList<SqlToken> tokens, int position = 0)
{
    public int Position { get; private set; } = position;

    public bool AtEnd => Position >= tokens.Count;

    /// <summary>The tokens from the cursor to the end.</summary>
    public IReadOnlyList<SqlToken> Rest => [.. tokens.Skip(Position)];

    public SqlToken Peek(int ahead = 0) =>
        Position + ahead < tokens.Count ? tokens[Position + ahead] : new SqlToken(SqlTokenKind.Symbol, string.Empty);

    /// <summary>Consumes the words when they come next, in order; leaves the cursor alone otherwise.</summary>
    public bool Accept(params string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (!Peek(k).Is(words[k]))
            {
                return false;
            }
        }

        Position += words.Length;
        return true;
    }

    public bool AcceptSymbol(string symbol)
    {
        if (!Peek().IsSymbol(symbol))
        {
            return false;
        }

        Position++;
        return true;
    }

    public SqlToken Take() => tokens[Position++];

    /// <summary>A possibly qualified name (schema.table), unqualified names taken to be in public (the migrations'
    /// search_path); null when no name comes next.</summary>
    public string? QualifiedName()
    {
        if (!Peek().IsName)
        {
            return null;
        }

        var parts = new List<string> { Take().Value };
        while (Peek().IsSymbol(".") && Peek(1).IsName)
        {
            Position++;
            parts.Add(Take().Value);
        }

        return parts.Count == 1 ? "public." + parts[0] : string.Join('.', parts.TakeLast(2));
    }

    /// <summary>A single name (a column, a constraint), or null.</summary>
    public string? Name() => Peek().IsName ? Take().Value : null;

    /// <summary>Skips a parenthesised group (the cursor on its "("), returning the tokens inside.</summary>
    public IReadOnlyList<SqlToken> Group()
    {
        var inside = new List<SqlToken>();
        if (!AcceptSymbol("("))
        {
            return inside;
        }

        var depth = 1;
        while (!AtEnd)
        {
            var t = Take();
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")") && --depth == 0)
            {
                break;
            }

            inside.Add(t);
        }

        return inside;
    }

    /// <summary>The rest of the statement split at top-level commas (ALTER TABLE's actions).</summary>
    public IReadOnlyList<IReadOnlyList<SqlToken>> SplitRestAtCommas()
    {
        var parts = new List<IReadOnlyList<SqlToken>>();
        var current = new List<SqlToken>();
        var depth = 0;
        while (!AtEnd)
        {
            var t = Take();
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")"))
            {
                depth--;
            }
            else if (t.IsSymbol(",") && depth == 0)
            {
                parts.Add(current);
                current = [];
                continue;
            }

            current.Add(t);
        }

        if (current.Count > 0)
        {
            parts.Add(current);
        }

        return parts;
    }
}
