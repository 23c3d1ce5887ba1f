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

    public static readonly Option<int> LockTimeout = WholeNumber(
        "--lock-timeout", "SECONDS", "Seconds to wait for another run holding the migration lock (exit code 5 after that).",
        defaultValue: 600, minimum: 0, takes: "a whole number of seconds, 0 or more", recursive: true);

    // Above 0: PostgreSQL reads lock_timeout = 0 as "wait for ever", which is what this option exists to prevent.
    public static readonly Option<double> StepLockTimeout = Seconds(
        "--step-lock-timeout", "Seconds each migration statement may queue for a table lock (PostgreSQL lock_timeout) before the migration is rolled back and retried; bounds how long a migration can stall the app's queries on that table.",
        defaultValue: 5, zeroAllowed: false, takes: "a number of seconds above 0 and at most 2147483 (fractions allowed, e.g. 0.5)");

    public static readonly Option<int> StepLockAttempts = WholeNumber(
        "--step-lock-attempts", "N", "How many times a migration is tried when it times out waiting for a table lock (exit code 11 after the last).",
        defaultValue: 5, minimum: 1, takes: "a whole number of tries, 1 or more", recursive: true);

    public static readonly Option<double> StatementTimeout = Seconds(
        "--statement-timeout", "Seconds the server lets each migration statement run (PostgreSQL statement_timeout); 0 (the default) means no limit.",
        defaultValue: 0, zeroAllowed: true, takes: "a number of seconds from 0 (no limit) to 2147483");

    public static readonly Option<int> CommandTimeout = WholeNumber(
        "--command-timeout", "SECONDS", "Seconds each SQL statement may take; 0 (the default) means no limit.",
        defaultValue: 0, minimum: 0, takes: "a whole number of seconds, 0 (no limit) or more", recursive: true);

    public static readonly Option<SupabaseMode> Supabase = new("--supabase")
    {
        HelpName = "auto|on|off",
        Description = "Apply the Supabase parts (auth.users link, row level security, execute grants): auto detects auth.users and auth.uid().",
        DefaultValueFactory = _ => SupabaseMode.Auto,
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            switch (text.ToLowerInvariant())
            {
                case "auto": return SupabaseMode.Auto;
                case "on": return SupabaseMode.On;
                case "off": return SupabaseMode.Off;
                default:
                    result.AddError($"--supabase takes auto, on or off, not '{text}'.");
                    return SupabaseMode.Auto;
            }
        },
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

    /// <summary>A whole-number option whose error says in words what it takes (System.CommandLine's own names the .NET
    /// type) and refuses values below <paramref name="minimum"/> with exit 2 rather than running with them.</summary>
    public static Option<int> WholeNumber(string name, string helpName, string description, int defaultValue, int minimum, string takes, bool recursive = false) => new(name)
    {
        HelpName = helpName,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Recursive = recursive,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum)
            {
                return value;
            }

            result.AddError($"{name} takes {takes}, not '{text}'.");
            return defaultValue;
        },
    };

    // PostgreSQL's timeouts are milliseconds in an int: 2147483.647 s (about 24.8 days) is the most they hold.
    private const double MaxSeconds = int.MaxValue / 1000.0;

    private static Option<double> Seconds(string name, string description, double defaultValue, bool zeroAllowed, string takes) => new(name)
    {
        HelpName = "SECONDS",
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                && (value > 0 || (zeroAllowed && value == 0)) && value <= MaxSeconds)
            {
                return value;
            }

            result.AddError($"{name} takes {takes}, not '{text}'.");
            return defaultValue;
        },
    };
}
