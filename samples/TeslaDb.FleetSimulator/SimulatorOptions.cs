namespace TeslaDb.FleetSimulator;

public sealed class SimulatorOptions
{
    /// <summary>How long an access token lives (Tesla: 8 h).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long the previous refresh token keeps working after a rotation (Tesla: about 24 h). Zero makes
    /// the simulator stricter than Tesla: any second use of a refresh token logs the owner out.</summary>
    public TimeSpan PreviousRefreshTokenGrace { get; set; } = TimeSpan.Zero;

    /// <summary>Data requests a vehicle may make per minute before the simulator answers 429 (Tesla: about 60).</summary>
    public int DataRequestsPerMinute { get; set; } = 60;

    /// <summary>The Retry-After of a 429.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
