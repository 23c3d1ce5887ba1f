using System.CommandLine;

namespace TeslaDb.Migrations.Tool;

internal static class UpVerb
{
    public static Command Create(CliContext context)
    {
        var to = GlobalOptions.To("Apply up to and including this version (default: all).");
        var json = GlobalOptions.Json();
        var allowChanged = new Option<bool>("--allow-changed")
        {
            Description = "Run even though an applied migration's SQL changed since it was applied (refused with exit code 8 otherwise).",
        };
        var command = new Command("up", "Apply the pending migrations, each in its own transaction.") { to, json, allowChanged };
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, parse.GetValue(json), (migrator, target) => StepsOutput.RunAsync(
            context,
            parse.GetValue(json),
            "up",
            $"Migrating {target} up…",
            progress => migrator.UpAsync(parse.GetValue(to), parse.GetValue(allowChanged), progress, ct),
            (steps, after) => steps.Count == 0
                ? $"Nothing to apply: the database is at {after.CurrentVersion}."
                : $"{steps.Count} migration(s) applied in {Output.Ms(TimeSpan.FromTicks(steps.Sum(s => s.Elapsed.Ticks)))}; the database is at {after.CurrentVersion}.",
            target)));
        return command;
    }
}
