namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The SQL statements of the seed guide (shared/seed/000_06b78f3dd9805287.txt), copied verbatim. Tests replace only
/// the placeholders ('user-uuid-from-supabase', 'account-uuid', …, and the "..." inside JSON) with real values.
/// </summary>
internal static class SeedStatements
{
    public const string CreateAccount = """
        INSERT INTO tesla_accounts (supabase_user_id, account_name, email)
        VALUES ('user-uuid-from-supabase', 'Compte principal', 'user@example.com');
        """;

    public const string ListAccounts = """
        SELECT * FROM tesla_accounts WHERE supabase_user_id = 'user-uuid';
        """;

    public const string UpsertVehicle = """
        INSERT INTO vehicles (
          tesla_account_id, tesla_id, tesla_vehicle_id, vin,
          vehicle_data, display_name, access_type, state, in_service, api_version
        )
        VALUES (
          'account-uuid', 1492932226450100, 999823797, '5YJ3E7EB8LF677109',
          '{"id": 1492932226450100, ...}'::jsonb,
          'Ma Tesla', 'OWNER', 'online', false, 87
        )
        ON CONFLICT (tesla_account_id, tesla_id)
        DO UPDATE SET
          vehicle_data = EXCLUDED.vehicle_data,
          display_name = EXCLUDED.display_name,
          state = EXCLUDED.state,
          updated_at = NOW(),
          last_synced_at = NOW();
        """;

    public const string VehiclesOfAccount = """
        SELECT * FROM vehicles WHERE tesla_account_id = 'account-uuid';
        """;

    public const string VehicleByVin = """
        SELECT * FROM vehicles WHERE vin = '5YJ3E7EB8LF677109';
        """;

    public const string StoreEndpointResponse = """
        INSERT INTO vehicle_data_cache (
          tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at
        )
        VALUES (
          'account-uuid', 'vehicle-uuid', 'charge_state',
          '{"battery_level": 80, ...}'::jsonb,
          NOW() + INTERVAL '5 minutes'
        )
        ON CONFLICT (vehicle_id, endpoint_name)
        DO UPDATE SET
          response_data = EXCLUDED.response_data,
          expires_at = EXCLUDED.expires_at,
          updated_at = NOW(),
          last_fetched_at = NOW();
        """;

    public const string FreshCache = """
        SELECT response_data FROM vehicle_data_cache
        WHERE vehicle_id = 'vehicle-uuid'
          AND endpoint_name = 'charge_state'
          AND (expires_at IS NULL OR expires_at > NOW());
        """;

    public const string Cleanup = """
        SELECT cleanup_expired_cache();
        """;
}
