using System.CommandLine;
using System.CommandLine.Help;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>The <c>tesladb-migrate</c> command line: parsing with System.CommandLine, one file per verb.</summary>
public static class MigrateCommand
{
    internal const string Name = "tesladb-migrate";

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
            // For 'tesladb-migrate bogus' System.CommandLine also says "Required command was not provided": the unknown
            // word is the news, so that one is kept only when it is the only error.
            var messages = parsed.Errors.Select(e => e.Message).Distinct().ToList();
            if (messages.Count > 1)
            {
                messages.RemoveAll(m => m.StartsWith("Required command", StringComparison.Ordinal));
            }

            // An argument the parser could not place is quoted as typed: never a connection string's password.
            context.Error.WriteLine(TeslaDbConnectionString.HideConnections($"{Name}: {string.Join(" ", messages)} Run '{Name} --help' for usage.", args));
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
            + "Exit codes: 0 success, 1 migration failed, 2 usage error, 3 cannot connect, 4 pending migrations, 5 lock timeout, "
            + "6 down refused (would destroy data), 7 drift found by verify, 8 applied migration changed (or migrated in the other Supabase mode), 9 transaction pooler, 10 pg_cron unavailable, 11 a step's table lock not obtained, 12 lint violations (plan), 13 token key problem (encrypt-tokens), 14 standby (migrate the primary), 130 interrupted (Ctrl+C; the migration in progress was rolled back).");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(UpVerb.Create(context));
        root.Subcommands.Add(DownVerb.Create(context));
        root.Subcommands.Add(StatusVerb.Create(context));
        root.Subcommands.Add(ScriptVerb.Create(context));
        root.Subcommands.Add(VerifyVerb.Create(context));
        root.Subcommands.Add(PlanVerb.Create(context));
        root.Subcommands.Add(ScheduleCleanupVerbs.Schedule(context));
        root.Subcommands.Add(ScheduleCleanupVerbs.Unschedule(context));
        root.Subcommands.Add(EncryptTokensVerb.Create(context));
        root.Subcommands.Add(GenerateTokenKeyVerb.Create(context));
        return root;
    }
}
