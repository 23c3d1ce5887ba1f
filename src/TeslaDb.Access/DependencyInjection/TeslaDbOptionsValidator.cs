using Microsoft.Extensions.Options;
using TeslaDb.Connection;

namespace TeslaDb.Access.DependencyInjection;

/// <summary>Checks <see cref="TeslaDbOptions"/> at start-up: the connection string parses (the message never repeats a
/// password), the token keyring is well formed, and every cache policy is sensible.</summary>
internal sealed class TeslaDbOptionsValidator : IValidateOptions<TeslaDbOptions>
{
    public ValidateOptionsResult Validate(string? name, TeslaDbOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("TeslaDb:ConnectionString is missing: set it to an Npgsql keyword string or a postgres:// URL.");
        }
        else
        {
            try
            {
                _ = TeslaDbConnectionString.Parse(options.ConnectionString);
            }
            catch (ConnectionStringException e)
            {
                problems.Add("TeslaDb:ConnectionString: " + e.Message);
            }
        }

        try
        {
            _ = TeslaDbServiceCollectionExtensions.Keyring(options);
        }
        catch (Tokens.TokenKeyException e)
        {
            problems.Add("TeslaDb:TokenKeys (or TESLADB_TOKEN_KEYS): " + e.Message); // names key ids, never a key
        }

        problems.AddRange((options.Cache ?? new()).Problems().Select(p => "TeslaDb:" + p));
        var routing = options.Routing ?? new();
        problems.AddRange(routing.Problems().Select(p => "TeslaDb:" + p));
        if (routing.ReadConnectionString is { } read)
        {
            try
            {
                _ = TeslaDbConnectionString.Parse(read);
            }
            catch (ConnectionStringException e)
            {
                problems.Add("TeslaDb:Routing:ReadConnectionString: " + e.Message);
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
