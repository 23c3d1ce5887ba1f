using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TeslaDb.Access.DependencyInjection;

namespace TeslaDb.SampleWorker;

/// <summary>The sample's composition, apart from <c>Main</c> so that tests run several instances in one process.</summary>
public static class SampleHost
{
    /// <summary>The host builder with everything registered: configuration from appsettings.json, then the
    /// environment (<c>TeslaDb__ConnectionString</c>, <c>TESLADB_TOKEN_KEYS</c>, …), then the command line.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        // appsettings.json is read from beside the program, wherever it is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var services = builder.Services;
        services.AddOptions<SampleOptions>().Bind(builder.Configuration.GetSection("Sample"))
            .Validate(o => Uri.TryCreate(o.FleetApiBaseUrl, UriKind.Absolute, out _), "Sample:FleetApiBaseUrl must be an absolute URL (or set Sample:RunSimulator).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SampleOptions>>().Value);

        // The toolkit: options bound and validated at start, one data source, the repositories, a health check.
        services.AddTeslaDb(builder.Configuration.GetSection("TeslaDb"));
        services.AddHealthChecks().AddTeslaDb();

        services.AddHttpClient<FleetApiClient>((sp, http) =>
            http.BaseAddress = new Uri(sp.GetRequiredService<SampleOptions>().FleetApiBaseUrl));
        services.AddSingleton<TeslaCalls>();

        // Order matters: the schema exists before anything reads it.
        services.AddHostedService<MigrateOnStart>();
        services.AddHostedService<TokenRefresher>();
        services.AddHostedService<VehiclePoller>();

        if (builder.Configuration.GetValue("Sample:ConsoleTelemetry", true))
        {
            // The cache's metrics and traces are named TeslaDb.Access: no code in the library, just these names.
            services.AddOpenTelemetry()
                .WithMetrics(m => m.AddMeter("TeslaDb.Access").AddConsoleExporter())
                .WithTracing(t => t.AddSource("TeslaDb.Access").AddConsoleExporter());
        }

        return builder;
    }
}
