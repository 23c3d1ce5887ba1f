namespace TeslaDb.Connection;

/// <summary>
/// A connection string or URL the user typed cannot be used. The message says what to fix and never
/// repeats the text it was given, because that text holds a password.
/// </summary>
public sealed class ConnectionStringException : ArgumentException
{
    /// <summary>What is wrong and how to fix it (never the text given).</summary>
    public ConnectionStringException(string message)
        : base(message)
    {
    }

    /// <summary>What is wrong, with the parser's own exception (whose message must not hold the text either).</summary>
    public ConnectionStringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Without a message (for serializers and frameworks).</summary>
    public ConnectionStringException()
    {
    }
}
