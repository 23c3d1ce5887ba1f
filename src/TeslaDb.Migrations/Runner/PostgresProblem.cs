using Npgsql;

namespace TeslaDb.Migrations.Runner;

/// <summary>Turns PostgreSQL errors a person can act on into what to do, instead of a bare SQLSTATE.</summary>
internal static class PostgresProblem
{
    /// <summary>The message of <paramref name="error"/>, said so a person knows what to do when we know it.</summary>
    /// <param name="login">The role the migration connects as, named in the grant to run.</param>
    public static string Describe(Exception error, string? login = null) => error switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied => Privilege(denied, login is { Length: > 0 } ? QuoteIdent(login) : "the migrating login"),
        _ => error.Message,
    };

    private static string QuoteIdent(string name) =>
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') ? name : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>
    /// 42501 says "permission denied for table x" or "must be owner of table x": name the object, the privilege the
    /// migration needs on it, and the grant that gives it.
    /// </summary>
    private static string Privilege(PostgresException e, string login)
    {
        var text = e.MessageText;
        var what = text.StartsWith("must be owner of ", StringComparison.Ordinal) ? text["must be owner of ".Length..]
            : text.StartsWith("permission denied for ", StringComparison.Ordinal) ? text["permission denied for ".Length..]
            : null;
        if (what is null)
        {
            return $"the login lacks a privilege: {text} (42501). Migrate as the schema's owner, or grant it what the migration needs.";
        }

        var space = what.IndexOf(' ', StringComparison.Ordinal);
        var kind = space > 0 ? what[..space] : what;
        var name = space > 0 ? what[(space + 1)..] : e.TableName ?? "?";
        var owner = text.StartsWith("must be owner", StringComparison.Ordinal);
        var fix = (owner, kind) switch
        {
            (true, _) => $"only the owner of {kind} {name} may change it: migrate as that owner (or a member of its owning role), or ALTER {kind.ToUpperInvariant()} {name} OWNER TO {login}",
            (_, "schema") => $"the login needs USAGE and CREATE on schema {name}: GRANT USAGE, CREATE ON SCHEMA {name} TO {login}",
            (_, "database") => $"the login needs CREATE on database {name} (to create schemas): GRANT CREATE ON DATABASE {name} TO {login}",
            (_, "table" or "relation" or "sequence" or "view") => $"the login lacks a privilege on {kind} {name}: migrate as its owner, or GRANT ALL ON {kind.Replace("relation", "table", StringComparison.Ordinal).ToUpperInvariant()} {name} TO {login}",
            (_, "function") => $"the login may not execute function {name}: GRANT EXECUTE ON FUNCTION {name} TO {login}",
            _ => $"the login lacks a privilege on {kind} {name}: migrate as its owner or grant the privilege",
        };
        return $"permission denied ({text}): {fix}.";
    }
}
