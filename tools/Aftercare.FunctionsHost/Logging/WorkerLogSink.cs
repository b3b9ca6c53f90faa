using Aftercare.FunctionsHost.Rpc;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Logging;

/// <summary>
/// Where the worker's logs go: an <see cref="ILogger"/> per category (the console, in the program), an in-memory list
/// and an event that tests read. Messages are kept whole so that tests can scan them for personal data.
/// </summary>
internal sealed class WorkerLogSink(ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    private readonly List<WorkerLogEntry> _entries = [];

    public event Action<WorkerLogEntry>? Received;

    public IReadOnlyList<WorkerLogEntry> Snapshot()
    {
        lock (_entries)
        {
            return [.. _entries];
        }
    }

    public void Add(RpcLog log)
    {
        var exception = log.Exception is { } e
            ? $"{e.Type}: {e.Message}{(string.IsNullOrEmpty(e.StackTrace) ? string.Empty : "\n" + e.StackTrace)}"
            : null;
        Add(new WorkerLogEntry(
            timeProvider.GetUtcNow(),
            string.IsNullOrEmpty(log.Category) ? "Worker" : log.Category,
            ToLogLevel(log.Level),
            log.Message,
            exception,
            string.IsNullOrEmpty(log.InvocationId) ? null : log.InvocationId));
    }

    public void AddConsoleLine(string line) =>
        Add(new WorkerLogEntry(timeProvider.GetUtcNow(), WorkerLogEntry.ConsoleCategory, LogLevel.Information, line, null, null));

    private void Add(WorkerLogEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }

        var logger = loggerFactory.CreateLogger(entry.Category);
        if (entry.Exception is null)
        {
            logger.Log(entry.Level, "{Message}", entry.Message);
        }
        else
        {
            logger.Log(entry.Level, "{Message}\n{Exception}", entry.Message, entry.Exception);
        }

        Received?.Invoke(entry);
    }

    private static LogLevel ToLogLevel(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
