using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (static), but its loggers come from one host's ILoggerFactory.
/// When that host is disposed and another one starts in the same process (tests, a bench), the old factory
/// would throw ObjectDisposedException from inside Hangfire; this provider stops logging instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public ILog GetLogger(string name) => new ForwardingLog(() => _inner.GetLogger(name));

    private sealed class ForwardingLog(Func<ILog> create) : ILog
    {
        private ILog? _log;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _log ??= create();
                return _log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
