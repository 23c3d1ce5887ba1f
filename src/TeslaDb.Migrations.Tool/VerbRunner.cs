using System.CommandLine;
using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>What every verb does around its own work: resolve the connection, build the migrator, and turn any
/// failure into one line on stderr (plus a JSON error object with --json) and an exit code.</summary>
internal static class VerbRunner
{
    public static Task<int> RunAsync(
        ParseResult parse, CliContext context, bool json, Func<TeslaDbMigrator, string, Task<int>> verb) =>
        RunWithConnectionAsync(parse, context, json, connection =>
        {
            var options = new MigratorOptions
            {
                ConnectionString = connection.ConnectionString,
                LockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(GlobalOptions.LockTimeout))),
                StepLockTimeout = TimeSpan.FromSeconds(Math.Max(0.001, parse.GetValue(GlobalOptions.StepLockTimeout))),
                StepLockAttempts = Math.Max(1, parse.GetValue(GlobalOptions.StepLockAttempts)),
                StatementTimeout = parse.GetValue(GlobalOptions.StatementTimeout) is > 0 and var limit ? TimeSpan.FromSeconds(limit) : null,
                OnStepRetry = retry => context.Error.WriteLine(retry.Message),
                CommandTimeout = parse.GetValue(GlobalOptions.CommandTimeout) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
                Supabase = parse.GetValue(GlobalOptions.Supabase),
                MigrationAssemblies = context.MigrationAssemblies ?? new MigratorOptions { ConnectionString = string.Empty }.MigrationAssemblies,
                MigrationNamespace = context.MigrationNamespace,
                OnWaiting = message => context.Error.WriteLine(message),
            };
            var migrator = new TeslaDbMigrator(options) { Trace = parse.GetValue(GlobalOptions.Verbose) ? context.Error.WriteLine : null };
            return verb(migrator, connection.Description);
        });

    public static async Task<int> RunWithConnectionAsync(
        ParseResult parse, CliContext context, bool json, Func<ResolvedConnection, Task<int>> verb)
    {
        var verbose = parse.GetValue(GlobalOptions.Verbose);
        NpgsqlConnectionStringBuilder? target = null;
        try
        {
            var connection = ConnectionSource.Resolve(parse.GetValue(GlobalOptions.Connection), context.Configuration);
            target = connection.Builder;
            return await verb(connection);
        }
        catch (Exception e)
        {
            var (code, message) = ErrorReport.Classify(e, target, verbose);
            message = OneLine(message);
            context.Error.WriteLine($"{MigrateCommand.Name}: {message}");
            if (verbose)
            {
                context.Error.WriteLine(e.ToString());
            }

            if (json)
            {
                Output.WriteJson(context.Out, new ErrorDocument(new ErrorBody(code, message)), OutputJsonContext.Default.ErrorDocument);
            }

            return code;
        }
    }

    // PostgreSQL's messages can carry "\n\nPOSITION: 56" and the like: the promise is one line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
