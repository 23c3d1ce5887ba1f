using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeslaDb.Migrations.Tool;

// The documents --json writes, as named types for System.Text.Json's source generator: reflection-based serialization
// (of anonymous types, as these were) is unavailable in a Native AOT executable (IL3050), and the generator gives
// both builds the same code. camelCase names, in declaration order, as the anonymous types wrote them.
internal sealed record ErrorDocument(ErrorBody Error);

internal sealed record ErrorBody(int ExitCode, string Message);

internal sealed record StatusDocument(string Target, bool Supabase, bool UpToDate, IEnumerable<StatusMigration> Migrations);

internal sealed record StatusMigration(long Version, string Description, string State, DateTimeOffset? AppliedOn);

internal sealed record StepsDocument(string Target, string Action, IEnumerable<StepMigration> Migrations, long CurrentVersion, bool UpToDate);

internal sealed record StepMigration(long Version, string Description, double ElapsedMs);

internal sealed record VerifyDocument(
    string Target,
    bool Supabase,
    bool Clean,
    IEnumerable<long> Pending,
    IEnumerable<VersionAndDescription> ChangedMigrations,
    IEnumerable<VerifyDifference> Differences,
    IEnumerable<VerifyInvalidIndex> InvalidIndexes);

internal sealed record VersionAndDescription(long Version, string Description);

internal sealed record VerifyDifference(string Kind, string Object, string? Expected, string? Found, string Text);

internal sealed record VerifyInvalidIndex(string Schema, string Name, string Table, string Text);

internal sealed record PlanDocument(string Target, bool Supabase, bool All, bool Clean, int Violations, IEnumerable<PlanMigration> Migrations);

internal sealed record PlanMigration(
    long Version, string Description, bool InTransaction, IEnumerable<PlanStatement> Statements, IEnumerable<PlanFinding> DownFindings);

internal sealed record PlanStatement(
    string Summary,
    string Lock,
    bool BlocksWrites,
    string? Table,
    long? EstimatedRows,
    bool NewTable,
    string Access,
    string Sql,
    IEnumerable<PlanFinding> Findings);

internal sealed record PlanFinding(string Rule, string Severity, string Message, string Fix, bool Allowed, string? Reason);

internal sealed record EncryptTokensDocument(string Target, string KeyId, int Rewritten, long Current, long Busy);

/// <summary>camelCase (web defaults), indented, null values written (not omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(StepsDocument))]
[JsonSerializable(typeof(VerifyDocument))]
[JsonSerializable(typeof(PlanDocument))]
[JsonSerializable(typeof(EncryptTokensDocument))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
