using System.CommandLine;
using TeslaDb.Admin.Core;
using TeslaDb.Connection;

namespace TeslaDb.Admin.Cli;

/// <summary>
/// The <c>tesladb-admin</c> command line. Parsing and the connection are checked here, before any terminal is taken
/// over, so a mistake ends in one line on stderr; the console itself runs through the callback given.
/// </summary>
public static class AdminCommand
{
    internal const string Name = "tesladb-admin";

    private static readonly Option<string?> Connection = new("--connection", "-c")
    {
        HelpName = "CONNECTION",
        Description = "Npgsql connection string or postgres:// URL (default: TESLADB_CONNECTION, then ConnectionStrings__TeslaDb).",
    };

    private static readonly Option<bool> ReadOnly = new("--read-only")
    {
        Description = "Browse only: every purge is refused, and PostgreSQL itself is told to refuse writes on this session.",
    };

    private static readonly Option<int> PageSize = new("--page-size")
    {
        HelpName = "ROWS",
        Description = "Rows loaded per page of each list (10 to 1000).",
        DefaultValueFactory = _ => 100,
    };

    private static readonly Option<string?> EnvironmentLabel = new("--env")
    {
        HelpName = "LABEL",
        Description = "What this database is (e.g. production, staging), shown in colour in the title; default: local or remote, from the host.",
    };

    private static readonly Option<long> TypedConfirmAbove = new("--typed-confirm-above")
    {
        HelpName = "ROWS",
        Description = "On a remote or production-labelled database, a purge of more rows than this needs its count typed.",
        DefaultValueFactory = _ => DatabaseEnvironment.DefaultTypedConfirmAbove,
    };

    private static readonly Option<double> WatchInterval = new("--watch-interval")
    {
        HelpName = "SECONDS",
        Description = "How often watch (w) reloads the list on screen (0.5 to 3600; default 2, like k9s).",
        DefaultValueFactory = _ => 2,
    };

    private static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "On an unexpected error, print its stack trace after the console closes.",
    };

    /// <summary>Parses <paramref name="args"/>, opens the session and runs the console; returns the exit code.</summary>
    /// <param name="runConsole">Runs the console on a session and returns the problem that stopped it, if any.</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<AdminSession, Problem?> runConsole)
    {
        ArgumentNullException.ThrowIfNull(runConsole);
        return RunAsync<IDisposable?>(args, output, error, static () => null, (_, session) => runConsole(session));
    }

    /// <summary>
    /// Parses <paramref name="args"/>, then opens the session on another thread while <paramref name="startTerminal"/>
    /// takes over the terminal on this one (Terminal.Gui's Init: the two are the largest shares of the launch, and
    /// neither needs the other), then runs the console; returns the exit code. The terminal is disposed before any
    /// line is printed, so nothing lands on the alternate screen.
    /// </summary>
    /// <param name="startTerminal">Called once the command line is valid, never before: a usage error leaves the
    /// terminal alone.</param>
    /// <param name="runConsole">Runs the console on the terminal and a session; returns the problem that stopped it.</param>
    public static async Task<int> RunAsync<TTerminal>(
        string[] args, TextWriter output, TextWriter error, Func<TTerminal> startTerminal, Func<TTerminal, AdminSession, Problem?> runConsole)
        where TTerminal : IDisposable?
    {
        ArgumentNullException.ThrowIfNull(startTerminal);
        ArgumentNullException.ThrowIfNull(runConsole);
        var root = new Command(
            Name,
            "Browse the TeslaDb accounts, vehicles and cached responses, and purge the cache. Press ? inside for every key.\n"
            + "Exit codes: 0 quit normally, 1 unexpected error, 2 usage error, 3 cannot connect, 4 no TeslaDb schema (run tesladb-migrate up).");
        root.Options.Add(Connection);
        root.Options.Add(ReadOnly);
        root.Options.Add(PageSize);
        root.Options.Add(EnvironmentLabel);
        root.Options.Add(TypedConfirmAbove);
        root.Options.Add(WatchInterval);
        root.Options.Add(Verbose);
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        var parsed = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count == 0 && parsed.Action is System.CommandLine.Help.HelpAction)
        {
            return await parsed.InvokeAsync(invocation);
        }

        if (parsed.Errors.Count > 0)
        {
            // An argument the parser could not place is quoted as typed: never a connection string's password.
            error.WriteLine(TeslaDbConnectionString.HideConnections($"{Name}: {string.Join(" ", parsed.Errors.Select(e => e.Message).Distinct())} Run '{Name} --help' for usage.", args));
            return ExitCodes.Usage;
        }

        var pageSize = parsed.GetValue(PageSize);
        if (pageSize is < 10 or > 1000)
        {
            error.WriteLine($"{Name}: --page-size must be between 10 and 1000 (got {pageSize}).");
            return ExitCodes.Usage;
        }

        if (parsed.GetValue(TypedConfirmAbove) < 0)
        {
            error.WriteLine($"{Name}: --typed-confirm-above must be 0 or more (got {parsed.GetValue(TypedConfirmAbove)}).");
            return ExitCodes.Usage;
        }

        var watchInterval = parsed.GetValue(WatchInterval);
        if (watchInterval is < 0.5 or > 3600 || double.IsNaN(watchInterval))
        {
            error.WriteLine($"{Name}: --watch-interval must be between 0.5 and 3600 seconds (got {watchInterval.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            return ExitCodes.Usage;
        }

        ResolvedConnection connection;
        try
        {
            connection = ConnectionSource.Resolve(parsed.GetValue(Connection));
        }
        catch (ConnectionStringException e)
        {
            error.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.Usage;
        }

        LaunchSteps.Mark("command line parsed");
        var verbose = parsed.GetValue(Verbose);
        // Asks the server first: on a standby the session is read-only (--read-only implied) and the title says so.
        // The first page of accounts is read as soon as the session is open, beside Terminal.Gui's start.
        var opening = Task.Run(async () =>
        {
            var opened = await AdminSession.OpenAsync(connection.Builder, parsed.GetValue(ReadOnly), pageSize, parsed.GetValue(EnvironmentLabel), parsed.GetValue(TypedConfirmAbove));
            opened.PrefetchFirstPage();
            return opened;
        });
        Problem? stopped;
        Exception? failure = null;
        var terminal = default(TTerminal);
        AdminSession? session = null;
        try
        {
            terminal = startTerminal();
            session = await opening;
            LaunchSteps.Mark("session awaited");
            session.WatchInterval = TimeSpan.FromSeconds(watchInterval);
            stopped = runConsole(terminal, session);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e;
            stopped = Problem.From(e, connection.Builder, startingUp: true);
        }
        finally
        {
            terminal?.Dispose();
            session ??= await OpenedOrNullAsync(opening);
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        if (stopped is null)
        {
            return ExitCodes.Success;
        }

        // The console showed it (or never started); repeat it on stderr (the screen is gone now) for the record and
        // for scripts.
        var details = failure is null ? string.Empty : verbose ? Environment.NewLine + failure : " (--verbose shows the details)";
        error.WriteLine($"{Name}: {stopped.Message}{details}");
        return ExitCode(stopped.Kind);
    }

    // The session when it opened although the terminal did not start (to close it); null when opening failed, a
    // failure the one reported already explains.
    private static async Task<AdminSession?> OpenedOrNullAsync(Task<AdminSession> opening)
    {
        try
        {
            return await opening;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static int ExitCode(ProblemKind kind) => kind switch
    {
        ProblemKind.CannotConnect => ExitCodes.CannotConnect,
        ProblemKind.NotMigrated or ProblemKind.NotAllowed => ExitCodes.NotMigrated,
        _ => ExitCodes.Unexpected,
    };
}
