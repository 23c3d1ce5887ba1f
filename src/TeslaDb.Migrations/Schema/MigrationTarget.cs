namespace TeslaDb.Migrations.Schema;

/// <summary>
/// What the migrations are applied to, resolved once per run and given to the migrations that depend on it
/// (FluentMigrator builds migrations through dependency injection).
/// </summary>
/// <param name="Supabase">True on Supabase (or a database made to look like it): the migrations then also link
/// accounts to <c>auth.users</c>, enable row level security with owner policies, and restrict who may execute
/// <c>cleanup_expired_cache()</c>.</param>
public sealed record MigrationTarget(bool Supabase)
{
    /// <summary>SQL that is true when the database has Supabase's <c>auth.users</c> table and <c>auth.uid()</c>.</summary>
    public const string DetectSupabaseSql =
        "SELECT to_regclass('auth.users') IS NOT NULL AND to_regprocedure('auth.uid()') IS NOT NULL";
}
