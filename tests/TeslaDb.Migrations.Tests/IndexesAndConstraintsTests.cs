using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>The named indexes, unique constraints and foreign keys exist as the design fixes them, read from the catalog.</summary>
public sealed class IndexesAndConstraintsTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private readonly TestDatabase _db = fixture.Database;

    public static TheoryData<string, string, string, string> NamedIndexes => new()
    {
        { "idx_tesla_accounts_user_id", "tesla_accounts", "btree", "supabase_user_id" },
        { "idx_tesla_accounts_active", "tesla_accounts", "btree", "is_active" },
        { "idx_tesla_accounts_user_active", "tesla_accounts", "btree", "supabase_user_id,is_active" },
        { "idx_tokens_tesla_account_id", "tokens", "btree", "tesla_account_id" },
        { "idx_vehicles_tesla_account_id", "vehicles", "btree", "tesla_account_id" },
        { "idx_vehicles_vin", "vehicles", "btree", "vin" },
        { "idx_vehicles_tesla_id", "vehicles", "btree", "tesla_id" },
        { "idx_vehicles_state", "vehicles", "btree", "state" },
        { "idx_vehicles_account_state", "vehicles", "btree", "tesla_account_id,state" },
        { "idx_vehicles_data_gin", "vehicles", "gin", "vehicle_data" },
        { "idx_cache_vehicle_id", "vehicle_data_cache", "btree", "vehicle_id" },
        { "idx_cache_endpoint", "vehicle_data_cache", "btree", "endpoint_name" },
        { "idx_cache_expires_at", "vehicle_data_cache", "btree", "expires_at" },
        { "idx_cache_account_endpoint", "vehicle_data_cache", "btree", "tesla_account_id,endpoint_name" },
        { "idx_cache_data_gin", "vehicle_data_cache", "gin", "response_data" },
    };

    /// <summary>Added after the seed by issue 9's migrations (checked in detail by their own tests).</summary>
    private static readonly string[] LaterIndexes =
        ["idx_cache_vehicle_account", "idx_tesla_accounts_account_name_trgm", "idx_tesla_accounts_email_trgm"];

    private const string IndexSql = """
        SELECT t.relname, am.amname, ix.indisunique,
               (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                  FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum)
          FROM pg_index ix
          JOIN pg_class i ON i.oid = ix.indexrelid
          JOIN pg_class t ON t.oid = ix.indrelid
          JOIN pg_am am ON am.oid = i.relam
          JOIN pg_namespace n ON n.oid = i.relnamespace
         WHERE n.nspname = 'public' AND i.relname = @name
        """;

    [Theory]
    [MemberData(nameof(NamedIndexes))]
    public async Task Named_index_is_on_the_right_columns_with_the_right_method(string name, string table, string method, string columns)
    {
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(IndexSql, connection);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);

        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken), $"index {name} is missing");
        Assert.Equal(table, reader.GetString(0));
        Assert.Equal(method, reader.GetString(1));
        Assert.False(reader.GetBoolean(2));
        Assert.Equal(columns, reader.GetString(3));
    }

    [Fact]
    public async Task The_seed_names_exactly_these_fourteen_indexes_plus_the_tokens_link()
    {
        var names = await _db.ScalarAsync<string[]>(
            "SELECT array_agg(indexname::text ORDER BY indexname COLLATE \"C\") FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx\\_%'");
        Assert.Equal(NamedIndexes.Select(row => (string)row.Data.Item1).Concat(LaterIndexes).Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [InlineData("vehicles", "UNIQUE (tesla_account_id, tesla_id)")]
    [InlineData("vehicle_data_cache", "UNIQUE (vehicle_id, endpoint_name)")]
    [InlineData("tokens", "PRIMARY KEY (key)")]
    [InlineData("vehicles", "FOREIGN KEY (tesla_account_id) REFERENCES tesla_accounts(id) ON DELETE CASCADE")]
    [InlineData("vehicle_data_cache", "FOREIGN KEY (tesla_account_id) REFERENCES tesla_accounts(id) ON DELETE CASCADE")]
    [InlineData("vehicle_data_cache", "FOREIGN KEY (vehicle_id) REFERENCES vehicles(id) ON DELETE CASCADE")]
    [InlineData("tokens", "FOREIGN KEY (tesla_account_id) REFERENCES tesla_accounts(id) ON DELETE CASCADE")]
    public async Task Constraint_exists(string table, string definition)
    {
        var definitions = await _db.ScalarAsync<string[]>(
            "SELECT array_agg(pg_get_constraintdef(oid)) FROM pg_constraint WHERE conrelid = ('public.' || @t)::regclass",
            ("t", table));
        Assert.Contains(definition, definitions);
    }

    [Theory]
    [InlineData("tesla_accounts", "id", "uuid", false, "gen_random_uuid()")]
    [InlineData("tesla_accounts", "is_active", "boolean", false, "true")]
    [InlineData("tesla_accounts", "updated_at", "timestamp with time zone", false, "now()")]
    [InlineData("tokens", "token_data", "jsonb", false, null)]
    [InlineData("tokens", "expires_at", "timestamp with time zone", true, null)]
    [InlineData("tokens", "tesla_account_id", "uuid", true, null)]
    [InlineData("vehicles", "tesla_id", "bigint", false, null)]
    [InlineData("vehicles", "tesla_vehicle_id", "bigint", true, null)]
    [InlineData("vehicles", "in_service", "boolean", false, "false")]
    [InlineData("vehicles", "api_version", "integer", true, null)]
    [InlineData("vehicles", "last_synced_at", "timestamp with time zone", false, "now()")]
    [InlineData("vehicle_data_cache", "response_data", "jsonb", false, null)]
    [InlineData("vehicle_data_cache", "expires_at", "timestamp with time zone", true, null)]
    [InlineData("vehicle_data_cache", "last_fetched_at", "timestamp with time zone", false, "now()")]
    public async Task Column_has_the_designed_type(string table, string column, string type, bool nullable, string? defaultValue)
    {
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT data_type, is_nullable = 'YES', column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @t AND column_name = @c",
            connection);
        command.Parameters.AddWithValue("t", table);
        command.Parameters.AddWithValue("c", column);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken), $"{table}.{column} is missing");
        Assert.Equal(type, reader.GetString(0));
        Assert.Equal(nullable, reader.GetBoolean(1));
        Assert.Equal(defaultValue, reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    [Fact]
    public async Task Version_table_lives_outside_public_with_a_primary_key()
    {
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ILIKE '%version%'"));
        Assert.Equal("PRIMARY KEY (version)", await _db.ScalarAsync<string>(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'tesladb.version_info'::regclass AND contype = 'p'"));
        Assert.Equal((long)KnownMigrations.Count, await _db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }
}
