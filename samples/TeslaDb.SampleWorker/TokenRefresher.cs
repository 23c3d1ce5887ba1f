using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeslaDb.Access.Tokens;

namespace TeslaDb.SampleWorker;

/// <summary>Refreshes tokens shortly before they expire, so that requests rarely wait for a refresh. Safe on every
/// instance: each token is refreshed once under its row lock, whoever gets there first.</summary>
public sealed class TokenRefresher(TokenRepository tokens, TeslaCalls tesla, IOptions<SampleOptions> options, ILogger<TokenRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TokenRefreshInterval);
        do
        {
            var report = await tokens.RefreshExpiringAsync(options.Value.TokenRefreshWindow, tesla.RefreshAsync, cancellationToken: stoppingToken);
            if (report.Refreshed + report.LoginRequired + report.Failed > 0)
            {
                // Counts only: a token key names an account, never a token value.
                logger.LogInformation(
                    "Token pass: {Refreshed} refreshed, {Fresh} already fresh, {LoginRequired} need a new login, {Failed} failed",
                    report.Refreshed, report.AlreadyFresh, report.LoginRequired, report.Failed);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
