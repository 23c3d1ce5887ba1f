using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using TeslaDb.Migrations.Tool;

namespace TeslaDb.Migrations.Tests;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs tesladb-migrate: in-process through the same entry point as Program.cs, or as a real process.</summary>
internal static class CliRun
{
    public static async Task<CliResult> InProcessAsync(
        string[] args,
        IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyList<Assembly>? migrationAssemblies = null,
        string? migrationNamespace = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(environment ?? new Dictionary<string, string?>()).Build(),
            MigrationAssemblies = migrationAssemblies,
            MigrationNamespace = migrationNamespace,
        };
        var code = await MigrateCommand.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>The built command (tesladb-migrate.dll is copied beside the tests with its runtimeconfig).</summary>
    public static string CommandPath => Path.Combine(AppContext.BaseDirectory, "tesladb-migrate.dll");

    public static Process Start(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CommandPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child must see only what the test gives it.
        start.Environment.Remove("TESLADB_CONNECTION");
        start.Environment.Remove("ConnectionStrings__TeslaDb");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public static async Task<CliResult> ProcessAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null) =>
        await WaitAsync(Start(args, environment));

    public static async Task<CliResult> WaitAsync(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return new CliResult(process.ExitCode, await output, await error);
        }
    }
}
