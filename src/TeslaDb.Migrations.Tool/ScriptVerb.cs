using System.CommandLine;

namespace TeslaDb.Migrations.Tool;

internal static class ScriptVerb
{
    public static Command Create(CliContext context)
    {
        var to = GlobalOptions.To("Script up to and including this version (default: all pending).");
        var command = new Command("script", "Print the exact SQL 'up' would run, with its transaction boundaries. Changes nothing.") { to };
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, json: false, async (migrator, target) =>
        {
            var script = await migrator.ScriptAsync(parse.GetValue(to), ct);
            Output.WriteScript(context.Out, target, script);
            return ExitCodes.Success;
        }));
        return command;
    }
}
