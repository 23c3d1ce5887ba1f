using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Cli;

/// <summary>What <c>up</c> and <c>down</c> print: a heading, a line per migration as it completes, then a summary
/// (or, with --json, one document at the end).</summary>
internal static class StepsOutput
{
    public static async Task<int> RunAsync(
        CliContext context,
        bool json,
        string action,
        string heading,
        Func<IProgress<MigrationStep>, Task<IReadOnlyList<MigrationStep>>> run,
        Func<IReadOnlyList<MigrationStep>, MigrationStatus, string> summary,
        Func<Task<MigrationStatus>> status,
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

        var steps = await run(progress);
        var after = await status();
        if (json)
        {
            Output.WriteJson(context.Out, Output.StepsJson(target, action, steps, after));
        }
        else
        {
            context.Out.WriteLine(summary(steps, after));
        }

        return ExitCodes.Success;
    }
}
