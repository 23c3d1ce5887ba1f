namespace TeslaDb.Admin.Core;

/// <summary>Something the operator typed or asked for cannot be done; the message says what to do instead.</summary>
public sealed class UserInputException(string message) : Exception(message)
{
    /// <summary>Runs one of TeslaDb.Access's checks on what the operator typed; its refusal becomes this exception,
    /// worded for a person (without .NET's " (Parameter 'x')" suffix).</summary>
    public static string Check(Func<string> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            return check();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal));
        }
    }
}
