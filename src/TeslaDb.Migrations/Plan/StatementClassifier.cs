namespace TeslaDb.Migrations.Plan;

/// <summary>
/// Reads what one statement does from its tokens: which table, which lock (PostgreSQL docs, "Explicit Locking" and
/// each command's page), whether it scans or rewrites. Statements it does not know are reported as such with no
/// lock claimed, never guessed.
/// </summary>
internal static class StatementClassifier
{
    public static ClassifiedStatement Classify(IReadOnlyList<SqlToken> tokens)
    {
        var c = new TokenCursor(tokens);
        if (c.Accept("create"))
        {
            return Create(c);
        }

        if (c.Accept("alter", "table"))
        {
            return AlterTableClassifier.Classify(c);
        }

        if (c.Accept("drop"))
        {
            return Drop(c);
        }

        if (c.Accept("truncate"))
        {
            c.Accept("table");
            return Tables(c, "TRUNCATE", table => new TableOperation(OperationKind.Truncate, table, LockMode.AccessExclusive, TableAccess.None));
        }

        if (c.Accept("insert", "into"))
        {
            return Single("INSERT", c.QualifiedName(), LockMode.RowExclusive, TableAccess.None);
        }

        if (c.Accept("update"))
        {
            c.Accept("only");
            return Single("UPDATE", c.QualifiedName(), LockMode.RowExclusive, TableAccess.Scan);
        }

        if (c.Accept("delete", "from"))
        {
            c.Accept("only");
            return Single("DELETE", c.QualifiedName(), LockMode.RowExclusive, TableAccess.Scan);
        }

        if (c.Accept("lock"))
        {
            return Lock(c);
        }

        if (c.Accept("alter", "policy"))
        {
            return OnTable(c, "ALTER POLICY", LockMode.AccessExclusive);
        }

        var first = c.Peek().Value.ToUpperInvariant();
        return first is "GRANT" or "REVOKE" or "COMMENT" or "SET" or "RESET" or "SELECT" or "DO" or "ALTER"
            ? ClassifiedStatement.NoTable(Words(tokens, 3))
            : ClassifiedStatement.NoTable(Words(tokens, 3) + " (not analysed)");
    }

    private static ClassifiedStatement Create(TokenCursor c)
    {
        c.Accept("or", "replace");
        var unique = c.Accept("unique");
        if (c.Accept("index"))
        {
            var concurrently = c.Accept("concurrently");
            if (c.Accept("if", "not", "exists") || !c.Peek().Is("on"))
            {
                c.Name();
            }

            c.Accept("on");
            c.Accept("only");
            var table = c.QualifiedName();
            var summary = $"CREATE {(unique ? "UNIQUE " : string.Empty)}INDEX{(concurrently ? " CONCURRENTLY" : string.Empty)}";
            return new ClassifiedStatement(summary, [new TableOperation(
                OperationKind.CreateIndex, table, concurrently ? LockMode.ShareUpdateExclusive : LockMode.Share, TableAccess.Scan)
            { Concurrently = concurrently }]);
        }

        _ = c.Accept("global") || c.Accept("local");
        _ = c.Accept("temporary") || c.Accept("temp") || c.Accept("unlogged");
        if (c.Accept("table"))
        {
            var ifNotExists = c.Accept("if", "not", "exists");
            var table = c.QualifiedName();
            // A new table: its ACCESS EXCLUSIVE lock blocks no one, since no one can use it yet.
            return new ClassifiedStatement(
                ifNotExists ? "CREATE TABLE IF NOT EXISTS" : "CREATE TABLE",
                [new TableOperation(OperationKind.CreateTable, table, LockMode.AccessExclusive, TableAccess.None) { IfNotExists = ifNotExists }]);
        }

        c.Accept("constraint");
        if (c.Accept("trigger"))
        {
            // CREATE TRIGGER takes SHARE ROW EXCLUSIVE on its table: writes wait, only for the catalog change.
            return OnTable(c, "CREATE TRIGGER", LockMode.ShareRowExclusive);
        }

        if (c.Accept("policy"))
        {
            return OnTable(c, "CREATE POLICY", LockMode.AccessExclusive);
        }

        return ClassifiedStatement.NoTable("CREATE " + c.Peek().Value.ToUpperInvariant());
    }

    private static ClassifiedStatement Drop(TokenCursor c)
    {
        if (c.Accept("table"))
        {
            c.Accept("if", "exists");
            return Tables(c, "DROP TABLE", table => new TableOperation(OperationKind.DropTable, table, LockMode.AccessExclusive, TableAccess.None));
        }

        if (c.Accept("index"))
        {
            var concurrently = c.Accept("concurrently");
            c.Accept("if", "exists");
            var index = c.QualifiedName();
            return new ClassifiedStatement(concurrently ? "DROP INDEX CONCURRENTLY" : "DROP INDEX", [new TableOperation(
                OperationKind.DropIndex, null, concurrently ? LockMode.ShareUpdateExclusive : LockMode.AccessExclusive, TableAccess.None)
            { Concurrently = concurrently, Index = index }]);
        }

        if (c.Accept("trigger"))
        {
            return OnTable(c, "DROP TRIGGER", LockMode.AccessExclusive);
        }

        if (c.Accept("policy"))
        {
            return OnTable(c, "DROP POLICY", LockMode.AccessExclusive);
        }

        return ClassifiedStatement.NoTable("DROP " + c.Peek().Value.ToUpperInvariant());
    }

    /// <summary>LOCK [TABLE] [ONLY] name [IN mode MODE]: ACCESS EXCLUSIVE when no mode is given.</summary>
    private static ClassifiedStatement Lock(TokenCursor c)
    {
        c.Accept("table");
        c.Accept("only");
        var table = c.QualifiedName();
        var mode = LockMode.AccessExclusive;
        if (c.Accept("in"))
        {
            var words = new List<string>();
            while (!c.AtEnd && !c.Peek().Is("mode"))
            {
                words.Add(c.Take().Value);
            }

            mode = string.Join(' ', words) switch
            {
                "access share" => LockMode.AccessShare,
                "row share" => LockMode.RowShare,
                "row exclusive" => LockMode.RowExclusive,
                "share update exclusive" => LockMode.ShareUpdateExclusive,
                "share" => LockMode.Share,
                "share row exclusive" => LockMode.ShareRowExclusive,
                "exclusive" => LockMode.Exclusive,
                _ => LockMode.AccessExclusive,
            };
        }

        return Single("LOCK TABLE", table, mode, TableAccess.None);
    }

    /// <summary>… name ON table …: triggers and policies.</summary>
    private static ClassifiedStatement OnTable(TokenCursor c, string summary, LockMode mode)
    {
        while (!c.AtEnd && !c.Peek().Is("on"))
        {
            c.Take();
        }

        c.Accept("on");
        return Single(summary, c.QualifiedName(), mode, TableAccess.None);
    }

    private static ClassifiedStatement Single(string summary, string? table, LockMode mode, TableAccess access) =>
        new(summary, [new TableOperation(OperationKind.Other, table, mode, access)]);

    /// <summary>A comma-separated list of tables (DROP TABLE a, b; TRUNCATE a, b).</summary>
    private static ClassifiedStatement Tables(TokenCursor c, string summary, Func<string, TableOperation> operation)
    {
        var operations = new List<TableOperation>();
        do
        {
            c.Accept("only");
            if (c.QualifiedName() is { } table)
            {
                operations.Add(operation(table));
            }

            c.AcceptSymbol("*");
        }
        while (c.AcceptSymbol(","));
        return new ClassifiedStatement(summary, operations);
    }

    private static string Words(IReadOnlyList<SqlToken> tokens, int count) =>
        string.Join(' ', tokens.TakeWhile(t => t.Kind == SqlTokenKind.Word).Take(count)).ToUpperInvariant();
}
