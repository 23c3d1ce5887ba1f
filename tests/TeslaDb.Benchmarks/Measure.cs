using System.Diagnostics;
using System.Globalization;

namespace TeslaDb.Benchmarks;

/// <summary>
/// Runs variants interleaved, round after round (the order rotating), so that a noisy neighbour slows all of them
/// alike; reports the median and 95th percentile of each and the ratio of medians against the anchor.
/// </summary>
internal static class Measure
{
    public sealed record Result(string Name, double MedianMs, double P95Ms, int Samples);

    public static async Task<List<Result>> InterleavedAsync(int warmups, int rounds, params (string Name, Func<Task> Run)[] variants)
    {
        for (var w = 0; w < warmups; w++)
        {
            foreach (var (_, run) in variants)
            {
                await run();
            }
        }

        var samples = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var (name, run) = variants[(round + k) % variants.Length];
                var watch = Stopwatch.StartNew();
                await run();
                samples[name].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return [.. variants.Select(v => Summarize(v.Name, samples[v.Name]))];
    }

    private static Result Summarize(string name, List<double> values)
    {
        values.Sort();
        return new Result(name, values[values.Count / 2], values[(int)Math.Min(values.Count - 1, Math.Ceiling(values.Count * 0.95) - 1)], values.Count);
    }

    public static string Ms(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
