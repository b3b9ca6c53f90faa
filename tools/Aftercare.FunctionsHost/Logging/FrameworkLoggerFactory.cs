using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Logging;

/// <summary>
/// The logger factory handed to the host's Kestrel servers (Kestrel, routing, gRPC, YARP): warnings and errors only.
/// Their information logs would carry request URLs, and with them the <c>code</c> key and whatever personal data a
/// query string holds, into logs that the app's tests scan.
/// </summary>
internal sealed class FrameworkLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new WarningsOnly(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the inner factory.
    public void Dispose()
    {
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
