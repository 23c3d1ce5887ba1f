using System.Collections.Concurrent;

namespace TeslaDb.Access.Cache;

/// <summary>
/// One running fetch per (account, vehicle, endpoint) in this process (the account too, so that a caller naming a
/// vehicle of another account never joins, and reads, that account's fetch): the first caller starts it, later callers get the same
/// task. The fetch runs detached from every caller's cancellation, so a caller that gives up (soft timeout,
/// cancellation) does not cancel it for the others, and its result is still stored.
/// </summary>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<(Guid Account, Guid Vehicle, string Endpoint), Task<CacheResult>> _running = new();

    /// <summary>The running fetch of <paramref name="key"/>, started with <paramref name="start"/> when there is
    /// none; <c>Started</c> tells whether this call started it.</summary>
    public (Task<CacheResult> Flight, bool Started) Join((Guid Account, Guid Vehicle, string Endpoint) key, Func<Task<CacheResult>> start)
    {
        while (true)
        {
            if (_running.TryGetValue(key, out var running))
            {
                return (running, false);
            }

            var completion = new TaskCompletionSource<CacheResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running.TryAdd(key, completion.Task))
            {
                _ = RunAsync(key, completion, start);
                return (completion.Task, true);
            }
        }
    }

    private async Task RunAsync((Guid, Guid, string) key, TaskCompletionSource<CacheResult> completion, Func<Task<CacheResult>> start)
    {
        try
        {
            completion.SetResult(await Task.Run(start).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            completion.SetException(e);
            // Every waiter may have given up (soft timeout): observe the failure so that it is not reported as unobserved.
            _ = completion.Task.Exception;
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<(Guid, Guid, string), Task<CacheResult>>(key, completion.Task));
        }
    }
}
