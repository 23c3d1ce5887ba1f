using FluentMigrator.Runner.VersionTableInfo;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// The table that records applied migrations: <c>tesladb.version_info</c>, with a primary key and lower-case
/// names (FluentMigrator's default is a key-less <c>public."VersionInfo"</c>).
/// </summary>
/// <remarks>
/// We create it ourselves (<see cref="CreateSql"/>, in one transaction, under the migration lock) instead of
/// letting FluentMigrator do it: FluentMigrator builds it in four autocommitted steps, so an interrupted first
/// run leaves a half-made table, and with a primary key it names the key and its unique index alike (42P07).
/// FluentMigrator then finds the table complete and only reads and writes rows. The <c>checksum</c> column is ours
/// (FluentMigrator ignores it): the SHA-256 of the migration's generated SQL when it was applied. It is added to a
/// version table made before checksums existed.
/// </remarks>
public sealed class TeslaDbVersionTable : IVersionTableMetaData
{
    public const string CreateSql = $"""
        CREATE SCHEMA IF NOT EXISTS {SchemaNames.VersionSchema};
        CREATE TABLE IF NOT EXISTS {SchemaNames.VersionSchema}.{SchemaNames.VersionTable} (
            version bigint NOT NULL CONSTRAINT pk_version_info PRIMARY KEY,
            applied_on timestamp,
            description varchar(1024),
            checksum text
        );
        ALTER TABLE {SchemaNames.VersionSchema}.{SchemaNames.VersionTable} ADD COLUMN IF NOT EXISTS checksum text;
        """;

    public bool OwnsSchema => true;
    public string SchemaName => SchemaNames.VersionSchema;
    public string TableName => SchemaNames.VersionTable;
    public string ColumnName => "version";
    public string DescriptionColumnName => "description";
    public string UniqueIndexName => "pk_version_info";
    public string AppliedOnColumnName => "applied_on";
    public bool CreateWithPrimaryKey => true;
}
