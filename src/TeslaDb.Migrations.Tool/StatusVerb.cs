using System.CommandLine;

namespace TeslaDb.Migrations.Tool;

internal static class StatusVerb
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "A CI gate: exit 4 when migrations are pending, 8 when an applied migration changed since.",
        };
        var command = new Command("status", "List every migration: applied (and when), pending, or changed since applied. Changes nothing.") { json, exitCode };
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var status = await migrator.GetStatusAsync(ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, Output.StatusJson(target, status), OutputJsonContext.Default.StatusDocument);
            }
            else
            {
                Output.WriteStatus(context.Out, target, status);
            }

            if (!parse.GetValue(exitCode))
            {
                return ExitCodes.Success;
            }

            return status.Changed.Any() ? ExitCodes.ChangedMigrations
                : !status.IsUpToDate ? ExitCodes.PendingMigrations
                : ExitCodes.Success;
        }));
        return command;
    }
}
