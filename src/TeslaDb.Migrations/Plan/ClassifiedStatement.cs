namespace TeslaDb.Migrations.Plan;

/// <summary>A statement as the lint reads it: a short description and the changes it makes, table by table.</summary>
internal sealed record ClassifiedStatement(string Summary, IReadOnlyList<TableOperation> Operations)
{
    /// <summary>The strongest lock any of its changes takes (an ALTER TABLE holds the strongest of its actions').</summary>
    public LockMode Lock => Operations.Select(o => o.Lock).DefaultIfEmpty(LockMode.None).Max();

    public TableAccess Access => Operations.Select(o => o.Access).DefaultIfEmpty(TableAccess.None).Max();

    public string? Table => Operations.Select(o => o.Table).FirstOrDefault(t => t is not null);

    public static ClassifiedStatement NoTable(string summary) => new(summary, []);
}
