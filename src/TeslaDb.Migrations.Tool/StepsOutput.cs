using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>What <c>up</c> and <c>down</c> print: a heading, a line per migration as it completes, then a summary
/// (or, with --json, one document at the end).</summary>
internal static class StepsOutput
{
    public static async Task<int> RunAsync(
        CliContext context,
        bool json,
        string action,
        string heading,
        Func<IProgress<MigrationStep>, Task<MigrationRun>> run,
        Func<IReadOnlyList<MigrationStep>, MigrationStatus, string> summary,
        string target)
    {
        var verb = action == "up" ? "applied" : "reverted";
        var progress = new VerbRunner.InlineProgress<MigrationStep>(s =>
        {
            if (!json)
            {
                context.Out.WriteLine($"  {verb} {s.Version} {s.Description} ({Output.Ms(s.Elapsed)})");
            }
        });
        if (!json)
        {
            context.Out.WriteLine(heading);
        }

        var result = await run(progress);
        if (json)
        {
            Output.WriteJson(context.Out, Output.StepsJson(target, action, result.Steps, result.Status), OutputJsonContext.Default.StepsDocument);
        }
        else
        {
            context.Out.WriteLine(summary(result.Steps, result.Status));
        }

        return ExitCodes.Success;
    }
}
