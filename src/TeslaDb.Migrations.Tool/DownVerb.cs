using System.CommandLine;

namespace TeslaDb.Migrations.Tool;

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
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, parse.GetValue(json), (migrator, target) => StepsOutput.RunAsync(
            context,
            parse.GetValue(json),
            "down",
            $"Migrating {target} down to {parse.GetValue(to)}…",
            progress => migrator.DownAsync(parse.GetValue(to)!.Value, parse.GetValue(allowDataLoss), progress, ct),
            (steps, after) => $"{steps.Count} migration(s) reverted; the database is at {after.CurrentVersion}.",
            target)));
        return command;
    }
}
