using System.Diagnostics;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Validation;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>scripts/sample-data.sql (what scripts/demo.sh loads) makes data the library itself accepts, and reloads cleanly.</summary>
public sealed class SampleDataTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private async Task LoadAsync(int rows)
    {
        var b = fixture.Database.Builder;
        var start = new ProcessStartInfo("psql") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-q", "-v", $"rows={rows}", "-f", Path.Combine(RepositoryFiles.Root, "scripts", "sample-data.sql") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGHOST"] = b.Host;
        start.Environment["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = b.Username;
        start.Environment["PGPASSWORD"] = b.Password;
        start.Environment["PGDATABASE"] = b.Database;
        using var psql = Process.Start(start) ?? throw new InvalidOperationException("psql did not start (install the PostgreSQL client)");
        var error = await psql.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await psql.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(psql.ExitCode == 0, error);
    }

    [Fact]
    public async Task Sample_data_is_valid_for_the_repositories_and_reloads_to_the_requested_size()
    {
        var ct = TestContext.Current.CancellationToken;
        await LoadAsync(120);
        await LoadAsync(60);

        var db = fixture.Database;
        Assert.Equal(60L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache"));
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicles"));
        foreach (var vin in await db.ScalarAsync<string[]>("SELECT array_agg(vin) FROM vehicles"))
        {
            TeslaDbValidation.Vin(vin);
        }

        var stats = await fixture.Cache.StatisticsAsync(cancellationToken: ct);
        Assert.Equal(["charge_state", "climate_state", "drive_state", "gui_settings", "vehicle_config", "vehicle_state"], stats.Select(s => s.EndpointName));
        Assert.Contains(stats, s => s.Expired > 0);
        Assert.All(stats.Where(s => s.EndpointName is "gui_settings" or "vehicle_config"), s => Assert.Equal(0, s.Expired));
        // Shaped like the Fleet API's answers: their field names and nesting, and their sizes (a few hundred bytes to KBs).
        Assert.Equal(60L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM vehicle_data_cache
             WHERE CASE endpoint_name
                     WHEN 'charge_state' THEN response_data ? 'charge_port_latch' AND response_data ? 'scheduled_departure_time'
                     WHEN 'climate_state' THEN response_data ? 'cabin_overheat_protection'
                     WHEN 'drive_state' THEN response_data ? 'native_latitude'
                     WHEN 'vehicle_state' THEN response_data #>> '{software_update,expected_duration_sec}' IS NOT NULL
                     WHEN 'vehicle_config' THEN response_data ? 'rear_drive_unit'
                     WHEN 'gui_settings' THEN response_data ? 'gui_tirepressure_units'
                   END
               AND (response_data ->> 'timestamp')::bigint > 0
            """));
        Assert.InRange(await db.ScalarAsync<double>("SELECT avg(octet_length(response_data::text))::float8 FROM vehicle_data_cache"), 1000, 4000);
        var account = await db.ScalarAsync<Guid>("SELECT tesla_account_id FROM tokens WHERE tesla_account_id IS NOT NULL LIMIT 1");
        var token = await fixture.Tokens.GetForAccountAsync(account, ct);
        Assert.StartsWith("EU_DEMO-ONLY-", token!.RefreshToken, StringComparison.Ordinal);
        Assert.Equal(60L, await fixture.Cache.CountAsync(CacheFilter.All, ct));
    }
}
