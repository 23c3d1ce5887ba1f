namespace TeslaDb.Admin.Core;

/// <summary>Something the operator typed or asked for cannot be done; the message says what to do instead.</summary>
public sealed class UserInputException(string message) : Exception(message);
