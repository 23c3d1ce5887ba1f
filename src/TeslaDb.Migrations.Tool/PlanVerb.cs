using System.CommandLine;
using TeslaDb.Migrations.Plan;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary><c>plan</c> (alias <c>lint</c>): what each pending statement would lock and cost, and the lint rules it
/// breaks. Exit 12 on a violation nobody acknowledged, so CI can gate a release on it.</summary>
internal static class PlanVerb
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var all = new Option<bool>("--all")
        {
            Description = "Lint every migration of the tool, applied or not (row estimates still come from the database).",
        };
        var command = new Command(
            "plan",
            "For each pending statement: the lock it takes, its table's estimated rows, whether it scans or rewrites the table, and the lint rules it breaks (TDB001…, see docs/migrations.md). Exit 12 on a violation. Changes nothing.")
        {
            json,
            all,
        };
        command.Aliases.Add("lint");
        command.SetAction((parse, ct) => VerbRunner.RunWithConnectionAsync(parse, context, parse.GetValue(json), async connection =>
        {
            // Only what a plan needs: it takes no migration lock and runs no statement, so no lock or command timeout.
            var planner = new MigrationPlanner(new MigratorOptions
            {
                ConnectionString = connection.ConnectionString,
                Supabase = parse.GetValue(GlobalOptions.Supabase),
                MigrationAssemblies = context.MigrationAssemblies ?? new MigratorOptions { ConnectionString = string.Empty }.MigrationAssemblies,
                MigrationNamespace = context.MigrationNamespace,
            });
            var plan = await planner.PlanAsync(parse.GetValue(all), ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, PlanOutput.Json(connection.Description, plan, parse.GetValue(all)), OutputJsonContext.Default.PlanDocument);
            }
            else
            {
                PlanOutput.Write(context.Out, connection.Description, plan, parse.GetValue(all));
            }

            if (plan.IsClean)
            {
                return ExitCodes.Success;
            }

            var rules = string.Join(", ", plan.Violations.Select(v => v.Rule.Id).Distinct());
            context.Error.WriteLine(
                $"{MigrateCommand.Name}: {plan.Violations.Count()} lint violation(s) ({rules}): apply each fix shown, or acknowledge the rule on the migration class with [LintAllow(\"TDB…\", \"why\")].");
            return ExitCodes.LintViolations;
        }));
        return command;
    }
}
