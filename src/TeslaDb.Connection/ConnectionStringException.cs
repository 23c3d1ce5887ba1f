namespace TeslaDb.Connection;

/// <summary>
/// A connection string or URL the user typed cannot be used. The message says what to fix and never
/// repeats the text it was given, because that text holds a password.
/// </summary>
public sealed class ConnectionStringException : ArgumentException
{
    public ConnectionStringException(string message)
        : base(message)
    {
    }

    public ConnectionStringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectionStringException()
    {
    }
}
