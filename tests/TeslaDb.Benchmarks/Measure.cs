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

    /// <summary>
    /// Like <see cref="InterleavedAsync"/> with short samples, but the ratio is taken within each round (each variant
    /// against the first, measured moments apart) and the median of those ratios reported: on a machine whose load
    /// swings several-fold within a minute, a ratio of medians drifts with the swings; a median of paired ratios much
    /// less. Returns per variant its median time, p95 and median paired ratio.
    /// </summary>
    public static async Task<List<(Result Result, double PairedRatio)>> PairedAsync(int warmups, int rounds, params (string Name, Func<Task> Run)[] variants)
    {
        for (var w = 0; w < warmups; w++)
        {
            foreach (var (_, run) in variants)
            {
                await run();
            }
        }

        var samples = variants.Select(_ => new List<double>()).ToArray();
        var ratios = variants.Select(_ => new List<double>()).ToArray();
        var round = new double[variants.Length];
        for (var r = 0; r < rounds; r++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var i = (r + k) % variants.Length;
                var watch = Stopwatch.StartNew();
                await variants[i].Run();
                round[i] = watch.Elapsed.TotalMilliseconds;
                samples[i].Add(round[i]);
            }

            for (var i = 0; i < variants.Length; i++)
            {
                ratios[i].Add(round[i] / round[0]);
            }
        }

        return [.. variants.Select((v, i) =>
        {
            ratios[i].Sort();
            return (Summarize(v.Name, samples[i]), ratios[i][ratios[i].Count / 2]);
        })];
    }

    private static Result Summarize(string name, List<double> values)
    {
        values.Sort();
        return new Result(name, values[values.Count / 2], values[(int)Math.Min(values.Count - 1, Math.Ceiling(values.Count * 0.95) - 1)], values.Count);
    }

    public static string Ms(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
