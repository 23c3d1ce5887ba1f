using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using Npgsql;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Cli;

/// <summary>The <c>tesladb-migrate</c> command line: parsing with System.CommandLine, one handler per verb.</summary>
public static class MigrateCommand
{
    private const string Name = "tesladb-migrate";

    private static readonly Option<string?> ConnectionOption = new("--connection", "-c")
    {
        HelpName = "CONNECTION",
        Description = "Npgsql connection string or postgres:// URL (default: TESLADB_CONNECTION, then ConnectionStrings__TeslaDb). Use the direct connection or a session-mode pooler, not a transaction pooler.",
        Recursive = true,
    };

    private static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Show FluentMigrator's log, the SQL as it runs, and stack traces of errors.",
        Recursive = true,
    };

    private static readonly Option<int> LockTimeoutOption = new("--lock-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds to wait for another run holding the migration lock (exit code 5 after that).",
        DefaultValueFactory = _ => 600,
        Recursive = true,
    };

    private static readonly Option<int> CommandTimeoutOption = new("--command-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds each SQL statement may take; 0 (the default) means no limit.",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = Build(context);
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation, cancellationToken);
            return ExitCodes.Usage;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // "Required command was not provided" comes first for 'tesladb-migrate bogus'; the unknown word is the news.
            var messages = parsed.Errors.Select(e => e.Message).Distinct().OrderBy(m => m.StartsWith("Required command", StringComparison.Ordinal));
            context.Error.WriteLine($"{Name}: {string.Join(" ", messages)} Run '{Name} --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    private static Command Build(CliContext context)
    {
        // A plain Command rather than RootCommand, whose name would be the assembly's (TeslaDb.Migrations).
        var root = new Command(
            Name,
            "Migrates the TeslaDb schema (tesla_accounts, tokens, vehicles, vehicle_data_cache). Safe to run from several CI jobs at once.\n"
            + "Exit codes: 0 success, 1 migration failed, 2 usage error, 3 cannot connect, 4 pending migrations (status --exit-code), 5 lock timeout, 6 down refused (would destroy data).");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(ConnectionOption);
        root.Options.Add(VerboseOption);
        root.Options.Add(LockTimeoutOption);
        root.Options.Add(CommandTimeoutOption);
        root.Subcommands.Add(UpCommand(context));
        root.Subcommands.Add(DownCommand(context));
        root.Subcommands.Add(StatusCommand(context));
        root.Subcommands.Add(ScriptCommand(context));
        return root;
    }

    private static Option<long?> ToOption(string description, bool required = false) => new("--to")
    {
        Description = description,
        Required = required,
        HelpName = "VERSION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return version;
            }

            result.AddError("--to takes a migration version (yyyyMMddHHmm, as 'status' lists them) or 0.");
            return null;
        },
    };

    private static Option<bool> JsonOption() => new("--json") { Description = "Write the result as JSON on stdout." };

    private static Command UpCommand(CliContext context)
    {
        var to = ToOption("Apply up to and including this version (default: all).");
        var json = JsonOption();
        var command = new Command("up", "Apply the pending migrations, each in its own transaction.") { to, json };
        command.SetAction((parse, ct) => Execute(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var asJson = parse.GetValue(json);
            var progress = new InlineProgress<MigrationStep>(s =>
            {
                if (!asJson)
                {
                    context.Out.WriteLine($"  applied {s.Version} {s.Description} ({Output.Ms(s.Elapsed)})");
                }
            });
            if (!asJson)
            {
                context.Out.WriteLine($"Migrating {target} up…");
            }

            var steps = await migrator.UpAsync(parse.GetValue(to), progress, ct);
            var after = await migrator.GetStatusAsync(ct);
            if (asJson)
            {
                Output.WriteJson(context.Out, Output.StepsJson(target, "up", steps, after));
            }
            else
            {
                context.Out.WriteLine(steps.Count == 0
                    ? $"Nothing to apply: the database is at {Output.CurrentVersion(after)}."
                    : $"{steps.Count} migration(s) applied in {Output.Ms(TimeSpan.FromTicks(steps.Sum(s => s.Elapsed.Ticks)))}; the database is at {Output.CurrentVersion(after)}.");
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command DownCommand(CliContext context)
    {
        var to = ToOption("Revert every applied migration above this version (0 reverts all).", required: true);
        var json = JsonOption();
        var allowDataLoss = new Option<bool>("--allow-data-loss")
        {
            Description = "Revert even when that drops tables holding rows or columns holding values (refused with exit code 6 otherwise).",
        };
        var command = new Command("down", "Revert migrations, newest first, each in its own transaction. The tokens table and its rows are always kept.") { to, json, allowDataLoss };
        command.SetAction((parse, ct) => Execute(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var asJson = parse.GetValue(json);
            var progress = new InlineProgress<MigrationStep>(s =>
            {
                if (!asJson)
                {
                    context.Out.WriteLine($"  reverted {s.Version} {s.Description} ({Output.Ms(s.Elapsed)})");
                }
            });
            if (!asJson)
            {
                context.Out.WriteLine($"Migrating {target} down to {parse.GetValue(to)}…");
            }

            var steps = await migrator.DownAsync(parse.GetValue(to)!.Value, parse.GetValue(allowDataLoss), progress, ct);
            var after = await migrator.GetStatusAsync(ct);
            if (asJson)
            {
                Output.WriteJson(context.Out, Output.StepsJson(target, "down", steps, after));
            }
            else
            {
                context.Out.WriteLine($"{steps.Count} migration(s) reverted; the database is at {Output.CurrentVersion(after)}.");
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command StatusCommand(CliContext context)
    {
        var json = JsonOption();
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "Exit with code 4 when migrations are pending (a CI gate).",
        };
        var command = new Command("status", "List every migration: applied (and when) or pending. Changes nothing.") { json, exitCode };
        command.SetAction((parse, ct) => Execute(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var status = await migrator.GetStatusAsync(ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, Output.StatusJson(target, status));
            }
            else
            {
                Output.WriteStatus(context.Out, target, status);
            }

            return parse.GetValue(exitCode) && !status.IsUpToDate ? ExitCodes.PendingMigrations : ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command ScriptCommand(CliContext context)
    {
        var to = ToOption("Script up to and including this version (default: all pending).");
        var command = new Command("script", "Print the exact SQL 'up' would run, with its transaction boundaries. Changes nothing.") { to };
        command.SetAction((parse, ct) => Execute(parse, context, json: false, async (migrator, target) =>
        {
            var script = await migrator.ScriptAsync(parse.GetValue(to), ct);
            Output.WriteScript(context.Out, target, script);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Resolves the connection, runs the verb, and turns any failure into one line and an exit code.</summary>
    private static async Task<int> Execute(
        ParseResult parse, CliContext context, bool json, Func<TeslaDbMigrator, string, Task<int>> verb, CancellationToken cancellationToken)
    {
        var verbose = parse.GetValue(VerboseOption);
        NpgsqlConnectionStringBuilder? target = null;
        try
        {
            var connection = ConnectionSource.Resolve(parse.GetValue(ConnectionOption), context.Configuration);
            target = connection.Builder;
            var options = new MigratorOptions
            {
                ConnectionString = connection.ConnectionString,
                LockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(LockTimeoutOption))),
                CommandTimeout = parse.GetValue(CommandTimeoutOption) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
                MigrationAssemblies = context.MigrationAssemblies ?? new MigratorOptions { ConnectionString = string.Empty }.MigrationAssemblies,
                OnWaiting = message => context.Error.WriteLine(message),
            };
            var migrator = new TeslaDbMigrator(options) { Trace = verbose ? context.Error.WriteLine : null };
            return await verb(migrator, connection.Description);
        }
        catch (Exception e)
        {
            var (code, message) = ErrorReport.Classify(e, target);
            context.Error.WriteLine($"{Name}: {message}");
            if (verbose)
            {
                context.Error.WriteLine(e.ToString());
            }

            if (json)
            {
                Output.WriteJson(context.Out, new { error = new { exitCode = code, message } });
            }

            return code;
        }
    }

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
