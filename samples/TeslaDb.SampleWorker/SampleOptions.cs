namespace TeslaDb.SampleWorker;

/// <summary>The sample's own settings (section <c>Sample</c>); the toolkit's are in section <c>TeslaDb</c>.</summary>
public sealed class SampleOptions
{
    /// <summary>Tesla's Fleet API (and, for the simulator, its token endpoint). Empty with <see cref="RunSimulator"/>:
    /// the simulator's address.</summary>
    public string FleetApiBaseUrl { get; set; } = string.Empty;

    public string ClientId { get; set; } = "tesladb-sample";

    /// <summary>How often each car's endpoints are asked for (the cache decides whether Tesla is called).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How old the stored vehicle list (and each car's state) may be before Tesla is asked again.</summary>
    public TimeSpan VehicleListMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the background pass refreshes tokens that expire soon.</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tokens expiring within this are refreshed by the background pass.</summary>
    public TimeSpan TokenRefreshWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A request refreshes the access token when it expires within this (Tesla advises about a minute).</summary>
    public TimeSpan TokenSkew { get; set; } = TimeSpan.FromSeconds(60);

    public string[] Endpoints { get; set; } = ["charge_state", "drive_state", "climate_state"];

    /// <summary>Start the local Fleet API simulator and seed accounts for it (no Tesla account needed).</summary>
    public bool RunSimulator { get; set; }

    public int SimulatedAccounts { get; set; } = 2;

    public int SimulatedCarsPerAccount { get; set; } = 2;
}
