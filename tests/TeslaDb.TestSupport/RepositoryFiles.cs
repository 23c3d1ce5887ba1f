namespace TeslaDb.TestSupport;

/// <summary>Paths in the source tree, for tests that check (or, when asked, rewrite) committed baseline files.</summary>
public static class RepositoryFiles
{
    /// <summary>Set to 1 to rewrite the committed baselines from what the tests observe, then review the diff.</summary>
    public const string UpdateVariable = "TESLADB_UPDATE_BASELINES";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TeslaDb.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("TeslaDb.sln not found above the test binaries.");
        }
    }
}
