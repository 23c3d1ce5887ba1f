using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace TeslaDb.Migrations.Tool;

/// <summary>What the command reads and writes besides its arguments; tests give their own.</summary>
public sealed class CliContext
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>Where TESLADB_CONNECTION and ConnectionStrings__TeslaDb are read: the environment by default.</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <summary>Replaces TeslaDb's migrations (tests run test-only assemblies through the real command).</summary>
    public IReadOnlyList<Assembly>? MigrationAssemblies { get; init; }

    /// <summary>Only the migrations of this namespace of <see cref="MigrationAssemblies"/> (tests: two editions of one migration).</summary>
    public string? MigrationNamespace { get; init; }
}
