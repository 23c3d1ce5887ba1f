using System.CommandLine;

namespace TeslaDb.Migrations.Tool;

internal static class VerifyVerb
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var command = new Command(
            "verify",
            "Compare the live schema with the one the migrations define (tables, columns, constraints, indexes, functions, triggers, and on Supabase row level security, policies and grants), and each applied migration with its recorded checksum. Exit 7 on any difference. Changes nothing.")
        {
            json,
        };
        command.SetAction((parse, ct) => VerbRunner.RunAsync(parse, context, parse.GetValue(json), async (migrator, target) =>
        {
            var report = await migrator.VerifyAsync(ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, Output.VerifyJson(target, report), OutputJsonContext.Default.VerifyDocument);
            }
            else
            {
                Output.WriteVerify(context.Out, target, report);
            }

            // An invalid index is damage to report whatever else is pending.
            return report.InvalidIndexes.Count > 0 ? ExitCodes.Drift
                : !report.Status.IsUpToDate ? ExitCodes.PendingMigrations
                : report.IsClean ? ExitCodes.Success
                : ExitCodes.Drift;
        }));
        return command;
    }
}
