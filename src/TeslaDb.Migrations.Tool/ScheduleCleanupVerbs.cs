using System.CommandLine;
using TeslaDb.Migrations.Scheduling;

namespace TeslaDb.Migrations.Tool;

/// <summary><c>schedule-cleanup</c> and <c>unschedule-cleanup</c>: run cleanup_expired_cache() periodically with pg_cron.</summary>
internal static class ScheduleCleanupVerbs
{
    public static Command Schedule(CliContext context)
    {
        var every = new Option<string?>("--every") { HelpName = "INTERVAL", Description = "How often: 5m, 15m, 1h, 6h, 1d …" };
        var cron = new Option<string?>("--cron") { HelpName = "EXPRESSION", Description = "A cron expression instead of --every, e.g. \"7 * * * *\"." };
        var batchSize = new Option<int>("--batch-size")
        {
            HelpName = "ROWS",
            Description = "Rows deleted per transaction (each batch commits on its own).",
            DefaultValueFactory = _ => CleanupSchedule.DefaultBatchSize,
        };
        var command = new Command("schedule-cleanup", "Schedule CALL public.cleanup_expired_cache_in_batches(ROWS) with pg_cron (replacing an earlier schedule), or say how to run it from an external cron when pg_cron is absent.") { every, cron, batchSize };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(every) is null) == (result.GetValue(cron) is null))
            {
                result.AddError("schedule-cleanup takes one of --every (e.g. --every 15m) or --cron.");
            }
        });
        command.SetAction((parse, ct) => VerbRunner.RunWithConnectionAsync(parse, context, json: false, async connection =>
        {
            var expression = parse.GetValue(cron) ?? CleanupSchedule.ToCron(parse.GetValue(every)!);
            var job = await CleanupSchedule.ScheduleAsync(connection.ConnectionString, expression, parse.GetValue(batchSize), ct);
            context.Out.WriteLine(
                $"Scheduled '{job.JobName}' (pg_cron job {job.JobId}, in database {job.CronDatabase}) at '{job.Schedule}': {job.Command} in {job.TargetDatabase}.");
            context.Out.WriteLine("Runs are logged in cron.job_run_details, which pg_cron never trims: delete old rows from time to time.");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Unschedule(CliContext context)
    {
        var command = new Command("unschedule-cleanup", "Remove the pg_cron job made by schedule-cleanup.");
        command.Aliases.Add("unschedule");
        command.SetAction((parse, ct) => VerbRunner.RunWithConnectionAsync(parse, context, json: false, async connection =>
        {
            context.Out.WriteLine(await CleanupSchedule.UnscheduleAsync(connection.ConnectionString, ct)
                ? $"Unscheduled the cleanup of {connection.Description}."
                : $"No cleanup was scheduled for {connection.Description}; nothing to do.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
