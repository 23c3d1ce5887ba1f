using System.CommandLine;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Cli;

internal static class DownVerb
{
    public static Command Create(CliContext context)
    {
        var to = GlobalOptions.To("Revert every applied migration above this version (0 reverts all).", required: true);
        var json = GlobalOptions.Json();
        var allowDataLoss = new Option<bool>("--allow-data-loss")
        {
            Description = "Revert even when that drops tables holding rows or columns holding values (refused with exit code 6 otherwise).",
        };
        var command = new Command("down", "Revert migrations, newest first, each in its own transaction. The tokens table and its rows are always kept.") { to, json, allowDataLoss };
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var asJson = parse.GetValue(json);
            var progress = new VerbRunner.InlineProgress<MigrationStep>(s =>
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
                context.Out.WriteLine($"{steps.Count} migration(s) reverted; the database is at {after.CurrentVersion}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
