using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>The read-only reports: cache statistics and migration status.</summary>
internal sealed partial class AdminConsole
{
    private void ShowStatistics()
    {
        CacheStatisticsReport? report = null;
        InBackground("Counting the cache (a full scan on big tables)", async ct => report = await CacheStatisticsReport.LoadAsync(_navigator.Session, ct), () =>
            TableDialog.Show(_app, "Cache statistics",
                $"{Format.Plural(report!.Entries, "entry", "entries")}, {Format.Count(report.Expired)} expired, {Format.Bytes(report.Bytes)} of JSON (press x to purge the expired).",
                CacheStatisticsReport.Columns, report.Rows));
    }

    private void ShowHealth()
    {
        HealthReport? report = null;
        InBackground("Reading the database's health", async ct => report = await HealthReport.LoadAsync(_navigator.Session, ct), () =>
            TableDialog.Show(_app, "Health", "TeslaDb's four tables, the sessions touching them, the scheduled cleanup, the cache by age (h again to refresh).",
                HealthReport.Columns, report!.Rows));
    }

    private void ShowFreshness()
    {
        var vehicle = _navigator.Current is ListScreen { Count: > 0 } list ? list.VehicleOf(SelectedRow) : null;
        if (vehicle is null)
        {
            ShowMessage("Select a vehicle (or open its cached responses) first: f shows how fresh its data is.");
            return;
        }

        FreshnessReport? report = null;
        InBackground("Reading the vehicle's cache", async ct => report = await FreshnessReport.LoadAsync(_navigator.Session, vehicle, DateTimeOffset.UtcNow, ct), () =>
            TableDialog.Show(_app, $"Freshness of {report!.Vin}", report.Token, FreshnessReport.Columns, report.Rows,
                (row, column) => column == 2 ? report.Lanes[row].State : null));
    }

    private void ShowMigrations()
    {
        MigrationStatusReport? report = null;
        InBackground("Reading the migration status", async ct => report = await MigrationStatusReport.LoadAsync(_navigator.Session, ct), () =>
            TableDialog.Show(_app, "Migrations", report!.Summary, MigrationStatusReport.Columns, report.Rows));
    }

    /// <summary>Warns (without blocking anything) when the database lags behind this tool's migrations.</summary>
    private void CheckMigrations() =>
        _ = Task.Run(async () =>
        {
            try
            {
                var report = await MigrationStatusReport.LoadAsync(_navigator.Session, CancellationToken.None);
                if (!report.Status.IsUpToDate)
                {
                    _app.Invoke(() => ShowMessage(report.Summary));
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The lists work or say why themselves; the status is only a hint.
            }
            catch (Exception e)
            {
                // Anything else is this build's fault (a Native AOT build missing what FluentMigrator reflects on did
                // this): said once, not lost in an unobserved task.
                _app.Invoke(() => ShowMessage($"Could not check the migration status ({e.GetType().Name}): press m to see why."));
            }
        });
}
