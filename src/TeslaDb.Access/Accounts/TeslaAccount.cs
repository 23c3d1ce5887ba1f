namespace TeslaDb.Access.Accounts;

/// <summary>A Tesla account of a Supabase user.</summary>
public sealed record TeslaAccount(
    Guid Id, Guid SupabaseUserId, string AccountName, string? Email, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
