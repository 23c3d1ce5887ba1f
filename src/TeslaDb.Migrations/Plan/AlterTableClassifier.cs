namespace TeslaDb.Migrations.Plan;

/// <summary>
/// ALTER TABLE, action by action. Locks per PostgreSQL's ALTER TABLE page: ACCESS EXCLUSIVE unless noted;
/// ADD FOREIGN KEY and ENABLE/DISABLE TRIGGER take SHARE ROW EXCLUSIVE; VALIDATE CONSTRAINT, SET STATISTICS and
/// SET (storage parameters) take SHARE UPDATE EXCLUSIVE.
/// </summary>
internal static class AlterTableClassifier
{
    /// <summary>Functions whose value differs row by row, so a column added with one as its default is written into
    /// every row (a rewrite). now() and other STABLE functions are evaluated once and cost nothing since PG 11.</summary>
    private static readonly HashSet<string> VolatileFunctions =
    [
        "random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuidv4", "uuidv7",
        "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "txid_current", "random_normal",
    ];

    private static readonly HashSet<string> SerialTypes = ["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"];

    private static readonly HashSet<string> ColumnConstraintWords =
        ["not", "null", "constraint", "check", "unique", "primary", "references", "generated", "collate", "default"];

    public static ClassifiedStatement Classify(TokenCursor c)
    {
        c.Accept("if", "exists");
        c.Accept("only");
        var table = c.QualifiedName();
        c.AcceptSymbol("*");
        var actions = c.SplitRestAtCommas();
        var operations = actions.Select(action => Action(table, new TokenCursor(action))).ToList();
        var described = operations.Zip(actions, Describe);
        return new ClassifiedStatement("ALTER TABLE " + string.Join(", ", described), operations);
    }

    private static TableOperation Action(string? table, TokenCursor c)
    {
        if (c.Accept("add"))
        {
            return IsConstraint(c) ? AddConstraint(table, c) : AddColumn(table, c);
        }

        if (c.Accept("drop", "constraint"))
        {
            c.Accept("if", "exists");
            return new TableOperation(OperationKind.Other, table, LockMode.AccessExclusive, TableAccess.None) { Constraint = c.Name() };
        }

        if (c.Accept("drop"))
        {
            c.Accept("column");
            c.Accept("if", "exists");
            return new TableOperation(OperationKind.DropColumn, table, LockMode.AccessExclusive, TableAccess.None) { Column = c.Name() };
        }

        if (c.Accept("alter"))
        {
            c.Accept("column");
            return AlterColumn(table, c.Name(), c);
        }

        if (c.Accept("validate", "constraint"))
        {
            // Scans the rows, but writes go on: SHARE UPDATE EXCLUSIVE (a foreign key adds ROW SHARE on the referenced table).
            return new TableOperation(OperationKind.ValidateConstraint, table, LockMode.ShareUpdateExclusive, TableAccess.Scan) { Constraint = c.Name() };
        }

        if ((c.Peek().Is("enable") || c.Peek().Is("disable")) && (c.Peek(1).Is("trigger") || c.Peek(2).Is("trigger")))
        {
            return new TableOperation(OperationKind.Other, table, LockMode.ShareRowExclusive, TableAccess.None);
        }

        if (c.Accept("set", "statistics") || c.Peek().Is("set") && c.Peek(1).IsSymbol("(") || c.Peek().Is("reset") && c.Peek(1).IsSymbol("(")
            || c.Accept("cluster", "on") || c.Accept("set", "without", "cluster") || c.Accept("attach", "partition"))
        {
            return new TableOperation(OperationKind.Other, table, LockMode.ShareUpdateExclusive, TableAccess.None);
        }

        return new TableOperation(OperationKind.Other, table, LockMode.AccessExclusive, TableAccess.None);
    }

    private static bool IsConstraint(TokenCursor c)
    {
        var next = c.Peek();
        return next.Is("constraint") || next.Is("foreign") || next.Is("check") || next.Is("unique") || next.Is("primary") || next.Is("exclude");
    }

    private static TableOperation AddConstraint(string? table, TokenCursor c)
    {
        var name = c.Accept("constraint") ? c.Name() : null;
        var notValid = HasSequence(c, "not", "valid");
        if (c.Accept("foreign", "key"))
        {
            c.Group();
            c.Accept("references");
            var referenced = c.QualifiedName();
            return new TableOperation(OperationKind.AddForeignKey, table, LockMode.ShareRowExclusive, notValid ? TableAccess.None : TableAccess.Scan)
            { Constraint = name, NotValid = notValid, References = referenced };
        }

        if (c.Accept("check"))
        {
            var expression = c.Group();
            return new TableOperation(OperationKind.AddCheck, table, LockMode.AccessExclusive, notValid ? TableAccess.None : TableAccess.Scan)
            { Constraint = name, NotValid = notValid, ChecksNotNull = NotNullColumn(expression) };
        }

        // UNIQUE / PRIMARY KEY / EXCLUDE build their index under ACCESS EXCLUSIVE, unless USING INDEX attaches one built before.
        var usingIndex = HasSequence(c, "using", "index");
        return new TableOperation(OperationKind.AddUniqueOrPrimaryKey, table, LockMode.AccessExclusive, usingIndex ? TableAccess.None : TableAccess.Scan)
        { Constraint = name, UsingIndex = usingIndex };
    }

    private static TableOperation AddColumn(string? table, TokenCursor c)
    {
        c.Accept("column");
        c.Accept("if", "not", "exists");
        var column = c.Name();
        var rest = new List<SqlToken>();
        while (!c.AtEnd)
        {
            rest.Add(c.Take());
        }

        var type = rest.Count > 0 ? rest[0].Value : string.Empty;
        var defaultExpression = DefaultExpression(rest);
        var identityOrStored = HasSequence(new TokenCursor(rest), "generated") &&
            (HasSequence(new TokenCursor(rest), "identity") || HasSequence(new TokenCursor(rest), "stored"));
        var functions = defaultExpression is null ? [] : defaultExpression
            .Where((t, k) => t.IsName && k + 1 < defaultExpression.Count && defaultExpression[k + 1].IsSymbol("("))
            .Select(t => t.Value)
            .ToList();
        var volatileDefault = SerialTypes.Contains(type) ? type
            : identityOrStored ? "GENERATED column"
            : functions.Where(VolatileFunctions.Contains).Select(f => f + "()").FirstOrDefault();
        var notNull = HasSequence(new TokenCursor(rest), "not", "null") || HasSequence(new TokenCursor(rest), "primary", "key");
        return new TableOperation(OperationKind.AddColumn, table, LockMode.AccessExclusive, volatileDefault is null ? TableAccess.None : TableAccess.Rewrite)
        {
            Column = column,
            VolatileDefault = volatileDefault,
            DefaultFunctions = functions,
            NotNullWithoutDefault = notNull && defaultExpression is null && volatileDefault is null,
        };
    }

    private static TableOperation AlterColumn(string? table, string? column, TokenCursor c)
    {
        if (c.Accept("type") || c.Accept("set", "data", "type"))
        {
            return new TableOperation(OperationKind.AlterColumnType, table, LockMode.AccessExclusive, TableAccess.Rewrite) { Column = column };
        }

        if (c.Accept("set", "not", "null"))
        {
            return new TableOperation(OperationKind.SetNotNull, table, LockMode.AccessExclusive, TableAccess.Scan) { Column = column };
        }

        if (c.Accept("set", "statistics") || c.Peek().Is("set") && c.Peek(1).IsSymbol("(") || c.Peek().Is("reset"))
        {
            return new TableOperation(OperationKind.Other, table, LockMode.ShareUpdateExclusive, TableAccess.None) { Column = column };
        }

        return new TableOperation(OperationKind.Other, table, LockMode.AccessExclusive, TableAccess.None) { Column = column };
    }

    /// <summary>The tokens of a column's DEFAULT expression, up to the next column constraint; null without one.</summary>
    private static List<SqlToken>? DefaultExpression(List<SqlToken> definition)
    {
        var at = definition.FindIndex(t => t.Is("default"));
        if (at < 0)
        {
            return null;
        }

        var expression = new List<SqlToken>();
        var depth = 0;
        foreach (var t in definition.Skip(at + 1))
        {
            if (depth == 0 && expression.Count > 0 && t.Kind == SqlTokenKind.Word && ColumnConstraintWords.Contains(t.Value))
            {
                break;
            }

            depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
            expression.Add(t);
        }

        return expression;
    }

    /// <summary>CHECK (col IS NOT NULL), with any parentheses: the column, else null.</summary>
    internal static string? NotNullColumn(IReadOnlyList<SqlToken> expression)
    {
        var bare = expression.Where(t => !t.IsSymbol("(") && !t.IsSymbol(")")).ToList();
        return bare.Count == 4 && bare[0].IsName && bare[1].Is("is") && bare[2].Is("not") && bare[3].Is("null") ? bare[0].Value : null;
    }

    /// <summary>Whether the words occur in a row at top level from the cursor on (the cursor does not move).</summary>
    private static bool HasSequence(TokenCursor c, params string[] words)
    {
        var rest = c.Rest;
        var depth = 0;
        for (var k = 0; k < rest.Count; k++)
        {
            depth += rest[k].IsSymbol("(") ? 1 : rest[k].IsSymbol(")") ? -1 : 0;
            if (depth == 0 && k + words.Length <= rest.Count && words.Select((w, j) => rest[k + j].Is(w)).All(x => x))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(TableOperation o, IReadOnlyList<SqlToken> action) => o.Kind switch
    {
        OperationKind.AddColumn => $"ADD COLUMN {o.Column}",
        OperationKind.DropColumn => $"DROP COLUMN {o.Column}",
        OperationKind.AlterColumnType => $"ALTER COLUMN {o.Column} TYPE",
        OperationKind.SetNotNull => $"ALTER COLUMN {o.Column} SET NOT NULL",
        OperationKind.AddForeignKey => $"ADD FOREIGN KEY{(o.NotValid ? " NOT VALID" : string.Empty)} → {o.References}",
        OperationKind.AddCheck => $"ADD CHECK{(o.NotValid ? " NOT VALID" : string.Empty)}",
        OperationKind.AddUniqueOrPrimaryKey => o.UsingIndex ? "ADD UNIQUE/PRIMARY KEY USING INDEX" : "ADD UNIQUE/PRIMARY KEY",
        OperationKind.ValidateConstraint => $"VALIDATE CONSTRAINT {o.Constraint}",
        _ => string.Join(' ', action.TakeWhile(t => t.Kind == SqlTokenKind.Word).Take(4)).ToUpperInvariant(),
    };
}
