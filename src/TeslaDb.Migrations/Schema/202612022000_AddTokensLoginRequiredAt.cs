using FluentMigrator;

namespace TeslaDb.Migrations.Schema;

/// <summary>
/// <c>tokens.login_required_at</c>: when Tesla answered <c>login_required</c> to a refresh of this token (its refresh
/// token is dead; the owner must log in again). Refreshers stop trying, apps and the admin console show it; storing a
/// new token clears it. Nullable without a default: adding it rewrites nothing and takes its lock only briefly.
/// </summary>
[Migration(202612022000, "tokens.login_required_at: the account must log in again")]
public sealed class AddTokensLoginRequiredAt : Migration
{
    public override void Up() =>
        Alter.Table(SchemaNames.Tokens).InSchema(SchemaNames.Public)
            .AddColumn("login_required_at").AsDateTimeOffset().Nullable();

    // Refused by 'down' (without --allow-data-loss) while an account is marked: the mark would be lost.
    public override void Down() =>
        Delete.Column("login_required_at").FromTable(SchemaNames.Tokens).InSchema(SchemaNames.Public);
}
