using System.CommandLine;
using TeslaDb.Access;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Tokens.Protection;

namespace TeslaDb.Migrations.Tool;

/// <summary>
/// <c>encrypt-tokens</c>: every token row under the first key of TESLADB_TOKEN_KEYS. Plain rows are encrypted,
/// rows under older key ids re-encrypted; online (short batches, rows held by a refresher skipped and reported),
/// idempotent and resumable. After it reports no rows left, old keys can be removed from the keyring.
/// </summary>
internal static class EncryptTokensVerb
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var batchSize = GlobalOptions.WholeNumber(
            "--batch-size", "ROWS", "Rows per transaction (each batch locks only its own rows, briefly).", defaultValue: 500, minimum: 1, takes: "a whole number of rows, 1 or more");
        var command = new Command(
            "encrypt-tokens",
            $"Encrypt plain token rows and re-encrypt rows under old key ids with the first key of {TokenKeyring.EnvironmentVariable}. Online, idempotent, resumable. Exit 13: a row's key id is missing from the keyring or a value does not decrypt.")
        {
            json, batchSize,
        };
        command.SetAction(async (parse, ct) =>
        {
            var keys = context.Configuration[TokenKeyring.EnvironmentVariable];
            if (string.IsNullOrWhiteSpace(keys))
            {
                context.Error.WriteLine($"{MigrateCommand.Name}: encrypt-tokens needs {TokenKeyring.EnvironmentVariable}=id:base64key[,id:base64key…] (the first key encrypts); generate a key with '{MigrateCommand.Name} generate-token-key'.");
                return ExitCodes.Usage;
            }

            TokenKeyring keyring;
            try
            {
                keyring = TokenKeyring.Parse(keys);
            }
            catch (TokenKeyException e)
            {
                context.Error.WriteLine($"{MigrateCommand.Name}: {e.Message}");
                return ExitCodes.Usage;
            }

            return await VerbRunner.RunWithConnectionAsync(parse, context, parse.GetValue(json), async connection =>
            {
                await using var database = TeslaDbDatabase.Create(connection.ConnectionString, tokenKeys: keyring);
                var progress = new VerbRunner.InlineProgress<int>(n => context.Error.WriteLine($"encrypt-tokens: {n} row(s) rewritten so far…"));
                var result = await new TokenReencryption(database).RunAsync(parse.GetValue(batchSize), progress, ct);
                if (parse.GetValue(json))
                {
                    Output.WriteJson(context.Out, new EncryptTokensDocument(connection.Description, result.KeyId, result.Rewritten, result.Current, result.Busy), OutputJsonContext.Default.EncryptTokensDocument);
                }
                else
                {
                    context.Out.WriteLine($"{connection.Description}: {result.Rewritten} token row(s) encrypted or re-encrypted under key '{result.KeyId}'; {result.Current} row(s) under it now.");
                    context.Out.WriteLine(result.Busy == 0
                        ? $"No plain or old-key rows left: keys other than '{result.KeyId}' can be removed from {TokenKeyring.EnvironmentVariable}."
                        : $"{result.Busy} row(s) were held by a refresher during the pass: run encrypt-tokens again.");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
