namespace TeslaDb.Migrations.Plan;

/// <summary>What a <see cref="SqlToken"/> is: enough to tell keywords from names and text from code.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted word: a keyword or a name, folded to lower case as PostgreSQL folds it.</summary>
    Word,

    /// <summary>A "quoted identifier", kept as written (without the quotes).</summary>
    QuotedName,

    /// <summary>A string constant ('…', E'…', $tag$…$tag$): never read as code.</summary>
    Text,

    Number,

    /// <summary>Punctuation and operators: ( ) , . ; = :: and the like.</summary>
    Symbol,
}

/// <summary>One token of a SQL statement. <see cref="Value"/> is lower case for words.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Value)
{
    public bool Is(string word) => Kind == SqlTokenKind.Word && Value == word;

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Value == symbol;

    /// <summary>A word or a quoted name: something that can name a table or a column.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;

    public override string ToString() => Value;
}
