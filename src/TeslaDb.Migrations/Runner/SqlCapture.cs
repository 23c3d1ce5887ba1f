using FluentMigrator.Runner;
using Microsoft.Extensions.Logging;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Collects the SQL FluentMigrator logs (event <see cref="RunnerEventIds.Sql"/>), so that <c>script</c> can show
/// the statements of each migration and <c>--verbose</c> can echo them. Everything else FluentMigrator says is
/// passed on only when <see cref="Echo"/> is set.
/// </summary>
internal sealed class SqlCapture : ILoggerProvider
{
    private readonly List<string> _statements = [];
    private readonly object _gate = new();

    /// <summary>Receives every message FluentMigrator logs (for --verbose); null to stay quiet.</summary>
    public Action<string>? Echo { get; init; }

    /// <summary>Returns the statements captured since the last call and forgets them.</summary>
    public IReadOnlyList<string> Drain()
    {
        lock (_gate)
        {
            var copy = _statements.ToArray();
            _statements.Clear();
            return copy;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(EventId eventId, string message)
    {
        // FluentMigrator also logs empty statements (steps with nothing to do); they are noise in a script.
        if (eventId.Id == RunnerEventIds.Sql.Id && !string.IsNullOrWhiteSpace(message))
        {
            lock (_gate)
            {
                _statements.Add(message);
            }
        }

        Echo?.Invoke(message);
    }

    private sealed class Logger(SqlCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add(eventId, formatter(state, exception));
            }
        }
    }
}
