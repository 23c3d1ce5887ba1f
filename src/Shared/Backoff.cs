namespace TeslaDb;

/// <summary>Delays that double from <paramref name="first"/> up to <paramref name="cap"/>: short waits stay
/// responsive, long ones do not hammer the server. Shared by the migration runner (lock polls, step retries) and the
/// repositories' read retries, as source compiled into each (src/Shared), so it is no package's public API.</summary>
internal sealed class Backoff(TimeSpan first, TimeSpan cap)
{
    private TimeSpan _next = first;

    /// <summary>The delay to wait now; the following one is twice as long, at most the cap.</summary>
    public TimeSpan Next()
    {
        var now = _next;
        _next = TimeSpan.FromTicks(Math.Min(cap.Ticks, _next.Ticks * 2));
        return now;
    }
}
