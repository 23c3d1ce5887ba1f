using Npgsql;

namespace TeslaDb.TestSupport;

/// <summary>
/// Makes a plain PostgreSQL database look like a Supabase project to TeslaDb: the <c>anon</c>,
/// <c>authenticated</c> and <c>service_role</c> roles (service_role bypasses RLS), an <c>auth</c> schema with
/// <c>users</c> and <c>uid()</c> reading the JWT claim settings as Supabase's does, and Supabase's default grants
/// on <c>public</c>.
/// </summary>
public static class SupabaseLookalike
{
    // Roles are cluster-wide and test classes run in parallel: create them once, under a lock.
    private const string Roles = """
        SELECT pg_advisory_xact_lock(4242);
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
        END
        $$;
        """;

    private const string Auth = """
        CREATE SCHEMA auth;
        -- Where Supabase installs extensions (pg_trgm among them).
        CREATE SCHEMA extensions;
        GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
        CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
        -- As Supabase's: the subject of the request's JWT, from either claim setting.
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
            SELECT coalesce(
                nullif(current_setting('request.jwt.claim.sub', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
            )::uuid
        $$;
        GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
        GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
        """;

    public static async Task InstallAsync(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var server = await PostgresServer.GetAsync();
        await using (var maintenance = new NpgsqlConnection(server.ConnectionString))
        {
            await maintenance.OpenAsync();
            await using var transaction = await maintenance.BeginTransactionAsync();
            await using var roles = new NpgsqlCommand(Roles, maintenance, transaction);
            await roles.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await database.ExecuteAsync(Auth);
    }

    /// <summary>Adds a user to auth.users and returns its id.</summary>
    public static async Task<Guid> AddUserAsync(TestDatabase database, string email)
    {
        ArgumentNullException.ThrowIfNull(database);
        return await database.ScalarAsync<Guid>("INSERT INTO auth.users (id, email) VALUES (gen_random_uuid(), @e) RETURNING id", ("e", email));
    }

    /// <summary>Runs <paramref name="sql"/> as Supabase runs a client's request: role <c>authenticated</c> (or
    /// <paramref name="role"/>) with the user's id in the JWT claims, inside one transaction.</summary>
    public static async Task<T> AsUserAsync<T>(TestDatabase database, Guid? user, string sql, Func<NpgsqlCommand, Task<T>> run, string role = "authenticated")
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var impersonate = new NpgsqlCommand($"SET LOCAL ROLE {role}; SELECT set_config('request.jwt.claims', @claims, true)", connection, transaction))
        {
            impersonate.Parameters.AddWithValue("claims", user is null ? "{}" : $$"""{"sub": "{{user}}", "role": "{{role}}"}""");
            await impersonate.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var result = await run(command);
        await transaction.CommitAsync();
        return result;
    }
}
