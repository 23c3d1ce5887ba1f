using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TeslaDb.Admin.Core;

/// <summary>
/// The steps of the console's launch, for <c>scripts/admin-launch.sh</c> (issue 12): when
/// <see cref="EnvironmentVariable"/> names a report file, each <see cref="Mark"/> records the time since the process
/// started, the thread and how many methods the JIT had compiled by then; <c>Cli/StartupProbe</c> writes them beside
/// its report as <c>&lt;report&gt;.steps</c>. Free when the variable is unset. No Terminal.Gui here, so Core can mark.
/// </summary>
internal static class LaunchSteps
{
    public const string EnvironmentVariable = "TESLADB_ADMIN_STARTUP_REPORT";

    private static readonly ConcurrentQueue<string> Steps = new();

    /// <summary>The report file named by the variable, read once; null when unset.</summary>
    public static string? ReportPath { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : null;

    public static void Mark(string step)
    {
        if (ReportPath is null)
        {
            return;
        }

        Steps.Enqueue(string.Create(CultureInfo.InvariantCulture,
            $"{SinceProcessStart().TotalMilliseconds,6:F0} ms  jit {System.Runtime.JitInfo.GetCompiledMethodCount(),5}  thread {Environment.CurrentManagedThreadId,2}  {step}"));
    }

    /// <summary>The steps marked so far, in order.</summary>
    public static IEnumerable<string> Marked => Steps;

    // Process.StartTime is the kernel's start of this process: dotnet's host, the runtime and JIT included.
    public static TimeSpan SinceProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return DateTime.Now - self.StartTime;
    }
}
