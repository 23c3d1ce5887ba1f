using System.CommandLine;
using System.Globalization;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Migrations.Tool;

/// <summary>The options every verb takes, and the small ones several verbs share.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Connection = new("--connection", "-c")
    {
        HelpName = "CONNECTION",
        Description = "Npgsql connection string or postgres:// URL (default: TESLADB_CONNECTION, then ConnectionStrings__TeslaDb). Use the direct connection or a session-mode pooler, not a transaction pooler.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show FluentMigrator's log, the SQL as it runs, and stack traces of errors.",
        Recursive = true,
    };

    public static readonly Option<int> LockTimeout = new("--lock-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds to wait for another run holding the migration lock (exit code 5 after that).",
        DefaultValueFactory = _ => 600,
        Recursive = true,
    };

    public static readonly Option<double> StepLockTimeout = new("--step-lock-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds each migration statement may queue for a table lock (PostgreSQL lock_timeout) before the migration is rolled back and retried; bounds how long a migration can stall the app's queries on that table.",
        DefaultValueFactory = _ => 5,
        Recursive = true,
    };

    public static readonly Option<int> StepLockAttempts = new("--step-lock-attempts")
    {
        HelpName = "N",
        Description = "How many times a migration is tried when it times out waiting for a table lock (exit code 11 after the last).",
        DefaultValueFactory = _ => 5,
        Recursive = true,
    };

    public static readonly Option<double> StatementTimeout = new("--statement-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds the server lets each migration statement run (PostgreSQL statement_timeout); 0 (the default) means no limit.",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static readonly Option<int> CommandTimeout = new("--command-timeout")
    {
        HelpName = "SECONDS",
        Description = "Seconds each SQL statement may take; 0 (the default) means no limit.",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static readonly Option<SupabaseMode> Supabase = new("--supabase")
    {
        HelpName = "auto|on|off",
        Description = "Apply the Supabase parts (auth.users link, row level security, execute grants): auto detects auth.users and auth.uid().",
        DefaultValueFactory = _ => SupabaseMode.Auto,
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Connection, Verbose, LockTimeout, StepLockTimeout, StepLockAttempts, StatementTimeout, CommandTimeout, Supabase];

    public static Option<bool> Json() => new("--json") { Description = "Write the result as JSON on stdout." };

    public static Option<long?> To(string description, bool required = false) => new("--to")
    {
        Description = description,
        Required = required,
        HelpName = "VERSION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return version;
            }

            result.AddError("--to takes a migration version (yyyyMMddHHmm, as 'status' lists them) or 0.");
            return null;
        },
    };
}
