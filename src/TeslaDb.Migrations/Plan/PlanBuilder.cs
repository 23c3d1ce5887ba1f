namespace TeslaDb.Migrations.Plan;

/// <summary>
/// Turns migrations' SQL into a <see cref="MigrationPlan"/>: each statement classified, each change checked against
/// <see cref="LintRules"/>. Migrations are read in order and what one proves carries to the next (a CHECK (col IS
/// NOT NULL) validated in one makes a later SET NOT NULL safe). Tables created earlier in the same migration are
/// exempt from the rules that protect existing rows: nobody else can be using them yet.
/// </summary>
internal static class PlanBuilder
{
    public static MigrationPlan Build(IEnumerable<MigrationSource> sources, CatalogFacts? catalog, bool supabase)
    {
        var proven = new HashSet<(string Table, string Column)>(catalog?.ProvenNotNull ?? []);
        var notValidChecks = new Dictionary<(string Table, string Constraint), string>();
        var migrations = new List<PlannedMigration>();
        foreach (var source in sources)
        {
            var created = new HashSet<string>(StringComparer.Ordinal);
            var statements = new List<PlannedStatement>();
            foreach (var command in source.Commands)
            {
                var parsed = SqlTokenizer.Statements(command);
                foreach (var (tokens, text) in parsed)
                {
                    var classified = WithCatalog(StatementClassifier.Classify(tokens), catalog);
                    var context = new StatementContext(source, created, parsed.Count > 1, catalog, proven);
                    var findings = new List<LintFinding>();
                    foreach (var operation in classified.Operations)
                    {
                        findings.AddRange(Check(operation, context));
                        Learn(operation, created, proven, notValidChecks);
                    }

                    statements.Add(Describe(text, classified, context, findings));
                }
            }

            migrations.Add(new PlannedMigration(source.Version, source.Description, source.InTransaction, statements)
            {
                DownFindings = DownFindings(source),
            });
        }

        return new MigrationPlan(migrations, supabase, catalog is not null);
    }

    /// <summary>A column default calling a function the database says is VOLATILE (one of its own, say) is a
    /// rewrite too, though no built-in list names it.</summary>
    private static ClassifiedStatement WithCatalog(ClassifiedStatement classified, CatalogFacts? catalog) =>
        catalog is null ? classified : classified with
        {
            Operations = [.. classified.Operations.Select(o =>
                o is { Kind: OperationKind.AddColumn, VolatileDefault: null } && o.DefaultFunctions.FirstOrDefault(catalog.VolatileFunctions.Contains) is { } f
                    ? o with { VolatileDefault = f + "()", Access = TableAccess.Rewrite, NotNullWithoutDefault = false }
                    : o)],
        };

    private sealed record StatementContext(
        MigrationSource Source, HashSet<string> Created, bool InBatch, CatalogFacts? Catalog, HashSet<(string Table, string Column)> Proven)
    {
        public string? TableOf(TableOperation o) =>
            o.Table ?? (o.Index is { } index && Catalog?.IndexTables.TryGetValue(index, out var table) == true ? table : null);

        /// <summary>Created earlier in this migration. An unknown table counts as existing: the safe assumption.</summary>
        public bool IsNew(TableOperation o) => TableOf(o) is { } table && Created.Contains(table);
    }

    private static IEnumerable<LintFinding> Check(TableOperation o, StatementContext context)
    {
        var table = context.TableOf(o) ?? o.Index ?? "an unknown table";
        var existing = !context.IsNew(o) && o.Kind != OperationKind.CreateTable;
        switch (o.Kind)
        {
            case OperationKind.CreateIndex or OperationKind.DropIndex when o.Concurrently && (context.Source.InTransaction || context.InBatch):
                yield return Finding(LintRules.ConcurrentInTransaction, context, o,
                    context.Source.InTransaction ? $"{table}: the migration runs in a transaction" : $"{table}: the statement shares its command with others");
                break;
            case OperationKind.CreateIndex when !o.Concurrently && existing:
                yield return Finding(LintRules.NonConcurrentIndex, context, o, table);
                break;
            case OperationKind.DropIndex when !o.Concurrently && existing:
                yield return Finding(LintRules.NonConcurrentDropIndex, context, o, table);
                break;
            case OperationKind.AddForeignKey when !o.NotValid && existing:
                yield return Finding(LintRules.ForeignKeyValidatedInline, context, o, $"{table} → {o.References}");
                break;
            case OperationKind.AddCheck when !o.NotValid && existing:
                yield return Finding(LintRules.CheckValidatedInline, context, o, $"{table} ({o.Constraint ?? "unnamed"})");
                break;
            case OperationKind.SetNotNull when existing && (o.Table is null || o.Column is null || !context.Proven.Contains((o.Table, o.Column))):
                yield return Finding(LintRules.SetNotNullScans, context, o, $"{table}.{o.Column}");
                break;
            case OperationKind.AlterColumnType when existing:
                yield return Finding(LintRules.ColumnTypeChange, context, o, $"{table}.{o.Column}");
                break;
            case OperationKind.AddColumn when existing && o.VolatileDefault is not null:
                yield return Finding(LintRules.VolatileDefault, context, o, $"{table}.{o.Column} ({o.VolatileDefault})");
                break;
            case OperationKind.AddColumn when existing && o.NotNullWithoutDefault:
                yield return Finding(LintRules.NotNullColumnWithoutDefault, context, o, $"{table}.{o.Column}");
                break;
            case OperationKind.DropTable or OperationKind.Truncate when existing:
                yield return Finding(LintRules.UnguardedDrop, context, o, table);
                break;
            case OperationKind.DropColumn when existing:
                yield return Finding(LintRules.UnguardedDrop, context, o, $"{table}.{o.Column}");
                break;
            case OperationKind.AddUniqueOrPrimaryKey when !o.UsingIndex && existing:
                yield return Finding(LintRules.UniqueBuiltInline, context, o, $"{table} ({o.Constraint ?? "unnamed"})");
                break;
        }
    }

    private static LintFinding Finding(LintRule rule, StatementContext context, TableOperation o, string subject)
    {
        var table = context.TableOf(o);
        var allow = context.Source.Allows.FirstOrDefault(a =>
            a.Rule == rule.Id && (a.Table is null || a.Table == table) && !string.IsNullOrWhiteSpace(a.Reason));
        return new LintFinding(rule, $"{rule.Id} {subject}: {rule.Title}", allow?.Reason);
    }

    /// <summary>The drops of a Down that <c>down</c>'s data-loss guard would not see (it matches the SQL text, see
    /// <see cref="Runner.DataLossCheck"/>): rows would go without the refusal and exit 6.</summary>
    private static List<LintFinding> DownFindings(MigrationSource source)
    {
        var findings = new List<LintFinding>();
        var context = new StatementContext(source, [], false, null, []);
        foreach (var (tokens, text) in (source.DownCommands ?? []).SelectMany(SqlTokenizer.Statements))
        {
            foreach (var o in StatementClassifier.Classify(tokens).Operations)
            {
                if (o.Kind is not (OperationKind.DropTable or OperationKind.DropColumn or OperationKind.Truncate))
                {
                    continue;
                }

                // TRUNCATE is never checked by the guard; a drop is when its text matches the guard's patterns.
                var parts = o.Table?.Split('.', 2);
                var seen = parts is [var schema, var table] && o.Kind switch
                {
                    OperationKind.DropTable => Runner.DataLossCheck.Sees(text, schema, table, null),
                    OperationKind.DropColumn => o.Column is not null && Runner.DataLossCheck.Sees(text, schema, table, o.Column),
                    _ => false,
                };
                if (!seen)
                {
                    var what = o.Kind == OperationKind.DropColumn ? $"{o.Table}.{o.Column}" : o.Table;
                    findings.Add(Finding(LintRules.UnguardedDrop, context, o, $"{what} in Down (\"{Shorten(text)}\")"));
                }
            }
        }

        return findings;
    }

    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 80 ? line : line[..77] + "...";
    }

    /// <summary>What a change teaches the statements after it: new tables, and columns proven not null.</summary>
    private static void Learn(
        TableOperation o, HashSet<string> created, HashSet<(string, string)> proven, Dictionary<(string, string), string> notValidChecks)
    {
        if (o.Table is null)
        {
            return;
        }

        if (o.Kind == OperationKind.CreateTable && !o.IfNotExists)
        {
            created.Add(o.Table);
        }
        else if (o.Kind == OperationKind.AddCheck && o.ChecksNotNull is { } column)
        {
            if (!o.NotValid)
            {
                proven.Add((o.Table, column));
            }
            else if (o.Constraint is { } constraint)
            {
                notValidChecks[(o.Table, constraint)] = column;
            }
        }
        else if (o.Kind == OperationKind.ValidateConstraint && o.Constraint is { } constraint
            && notValidChecks.TryGetValue((o.Table, constraint), out var validated))
        {
            proven.Add((o.Table, validated));
        }
    }

    private static PlannedStatement Describe(string text, ClassifiedStatement classified, StatementContext context, List<LintFinding> findings)
    {
        var first = classified.Operations.FirstOrDefault();
        var table = classified.Table ?? (first is null ? null : context.TableOf(first));
        var isNew = table is not null && (context.Created.Contains(table) || classified.Operations.Any(o => o.Kind == OperationKind.CreateTable && !o.IfNotExists));
        long? rows = table is null ? null
            : isNew ? 0
            : context.Catalog is null ? null
            : context.Catalog.Rows.TryGetValue(table, out var estimate) ? estimate
            : 0; // not there yet: an earlier pending migration creates it
        return new PlannedStatement(text, classified.Summary, classified.Lock, table, rows, isNew, classified.Access, findings);
    }
}
