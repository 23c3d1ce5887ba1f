using System.CommandLine;
using System.Globalization;
using TeslaDb.Access.Tokens.Protection;

namespace TeslaDb.Migrations.Tool;

/// <summary><c>generate-token-key</c>: prints a new random AES-256 key as <c>id:base64key</c> for TESLADB_TOKEN_KEYS
/// (the same as <c>openssl rand -base64 32</c> with an id in front). Touches no database.</summary>
internal static class GenerateTokenKeyVerb
{
    public static Command Create(CliContext context)
    {
        var id = new Option<string?>("--id")
        {
            HelpName = "ID",
            Description = "The key id stored beside every value it encrypts (default: k followed by today's date, e.g. k20261202).",
        };
        var command = new Command("generate-token-key", $"Print a new token key as id:base64key for {TokenKeyring.EnvironmentVariable}. Put it first to encrypt with it; keep old keys until encrypt-tokens has run.") { id };
        command.SetAction(parse =>
        {
            var keyId = parse.GetValue(id) ?? "k" + DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            try
            {
                context.Out.WriteLine(TokenKeyring.GenerateEntry(keyId));
            }
            catch (ArgumentException e)
            {
                context.Error.WriteLine($"{MigrateCommand.Name}: --id: {e.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.Usage;
            }

            context.Error.WriteLine($"Store it as a secret (never in the database). Rotation: {TokenKeyring.EnvironmentVariable}=<new>,<old…>, then '{MigrateCommand.Name} encrypt-tokens', then drop the old keys.");
            return ExitCodes.Success;
        });
        return command;
    }
}
