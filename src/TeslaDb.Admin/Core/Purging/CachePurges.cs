using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Admin.Core;

/// <summary>
/// Plans each purge the console offers: count first (what the confirmation shows), delete only on
/// <see cref="PurgePlan.ExecuteAsync"/> (which <see cref="PurgeWorkflow"/> calls once confirmed). Only cache rows are ever deleted; a read-only session gets no plan.
/// </summary>
public sealed class CachePurges(AdminSession session, int batchSize = CachePurges.DefaultBatchSize)
{
    /// <summary>Rows per batch: each batch is its own transaction, short enough never to hold locks for long.</summary>
    public const int DefaultBatchSize = 5_000;

    /// <summary>Counts what <paramref name="scope"/> covers; nothing is deleted until the plan is executed.</summary>
    public Task<PurgePlan> PlanAsync(PurgeScope scope, CancellationToken cancellationToken) => scope switch
    {
        PurgeScope.Expired => ExpiredEverywhereAsync(cancellationToken),
        PurgeScope.Entry e => EntryAsync(e.Id, e.EndpointName, cancellationToken),
        PurgeScope.Vehicle v => VehicleAsync(v.Summary, cancellationToken),
        PurgeScope.Account a => AccountAsync(a.Summary, cancellationToken),
        PurgeScope.Endpoint e => EndpointAsync(e.EndpointName, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "unknown purge scope"),
    };

    /// <summary>Every expired row, through cleanup_expired_cache() (the database's own definition of expired).</summary>
    public async Task<PurgePlan> ExpiredEverywhereAsync(CancellationToken cancellationToken)
    {
        session.EnsureWritable();
        var count = await session.Cache.CountAsync(new CacheFilter(ExpiredOnly: true), cancellationToken);
        return new PurgePlan("every expired cached response (cleanup_expired_cache())", count, Cleanup, reportsProgress: false);

        async Task<long> Cleanup(IProgress<long>? progress, CancellationToken ct)
        {
            session.EnsureWritable();
            return await session.Cache.CleanupExpiredAsync(ct);
        }
    }

    public async Task<PurgePlan> EntryAsync(Guid entryId, string endpointName, CancellationToken cancellationToken)
    {
        session.EnsureWritable();
        var exists = await session.Cache.GetAsync(entryId, cancellationToken) is not null;
        return new PurgePlan($"the {endpointName} response {Format.Short(entryId)}", exists ? 1 : 0, async (_, ct) =>
        {
            session.EnsureWritable();
            return await session.Cache.PurgeByIdsAsync([entryId], ct);
        }, reportsProgress: false);
    }

    public Task<PurgePlan> VehicleAsync(VehicleSummary vehicle, CancellationToken cancellationToken) =>
        FilteredAsync($"everything cached for vehicle {vehicle.Vin}", new CacheFilter(VehicleId: vehicle.Id), cancellationToken);

    public Task<PurgePlan> AccountAsync(AccountSummary account, CancellationToken cancellationToken) =>
        FilteredAsync($"everything cached for account {account.AccountName} ({account.Email ?? Format.Short(account.Id)})", new CacheFilter(TeslaAccountId: account.Id), cancellationToken);

    public Task<PurgePlan> EndpointAsync(string endpointName, CancellationToken cancellationToken) =>
        FilteredAsync($"every {endpointName} response of every vehicle", new CacheFilter(EndpointName: endpointName), cancellationToken);

    private async Task<PurgePlan> FilteredAsync(string what, CacheFilter filter, CancellationToken cancellationToken)
    {
        session.EnsureWritable();
        var count = await session.Cache.CountAsync(filter, cancellationToken);
        return new PurgePlan(what, count, async (progress, ct) =>
        {
            session.EnsureWritable();
            return await session.Cache.PurgeInBatchesAsync(filter, progress, batchSize, ct);
        }, reportsProgress: true);
    }
}
