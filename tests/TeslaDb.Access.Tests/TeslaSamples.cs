using System.Text.Json;

namespace TeslaDb.Access.Tests;

/// <summary>Data shaped like Tesla's: vehicle ids beyond 2^53, real-looking VINs, endpoint payloads, token responses.</summary>
internal static class TeslaSamples
{
    public const long FirstTeslaId = 1492932226450100; // 16 digits, as in the seed
    public const long TeslaIdBeyondDoubles = 9007199254740993; // 2^53 + 1: a double would read 9007199254740992

    public static long TeslaId(int i) => FirstTeslaId + (i * 1_000_003L);

    /// <summary>Valid VINs (alphabet and length) in Tesla's manufacturer codes; the serial varies.</summary>
    public static string Vin(int i) => $"5YJ3E1EA{(i % 10)}PF{i:000000}".Substring(0, 17);

    public static JsonElement Vehicle(long teslaId, string vin, string? state = "online", string displayName = "Ma Tesla") =>
        Parse($$"""
        {
          "id": {{teslaId}}, "vehicle_id": {{1_000_000_000 + (teslaId % 1_000_000)}}, "vin": "{{vin}}",
          "display_name": "{{displayName}}", "option_codes": "AD15,MDL3,PBSB,RENA,BT37,ID3W,RF3G,S3PB,DRLH,DV2W,W39B,APF0,COUS,BC3B,CH07,PC30,FC3P,FG31,GLFR,HL31,HM31,IL31,LTPB,MR31,FM3B,RS3H,SA3P,STCP,SC04,SU3C,T3CA,TW00,TM00,UT3P,WR00,AU3P,APH3,AF00,ZCST,MI00,CDM0",
          "color": null, "access_type": "OWNER", "tokens": ["4f993c5b9e2b937b", "7a3153b1bbb48a96"],
          "state": {{(state is null ? "null" : $"\"{state}\"")}}, "in_service": false, "id_s": "{{teslaId}}",
          "calendar_enabled": true, "api_version": 67, "backseat_token": null, "backseat_token_updated_at": null,
          "vehicle_config": {"car_type": "model3", "trim_badging": "74d", "exterior_color": "MidnightSilver", "wheel_type": "Pinwheel18"}
        }
        """);

    public static JsonElement ChargeState(int batteryLevel) =>
        Parse($$"""
        {"battery_level": {{batteryLevel}}, "usable_battery_level": {{batteryLevel - 1}}, "battery_range": 231.5, "charge_limit_soc": 80,
         "charging_state": "Disconnected", "charger_power": 0, "charge_energy_added": 12.4, "time_to_full_charge": 0.0,
         "charge_port_door_open": false, "timestamp": 1732526400123}
        """);

    /// <summary>A token keyring of the test run's own (a fresh random key): tokens are stored encrypted.</summary>
    public static readonly TeslaDb.Access.Tokens.Protection.TokenKeyring Keys =
        TeslaDb.Access.Tokens.Protection.TokenKeyring.Parse(TeslaDb.Access.Tokens.Protection.TokenKeyring.GenerateEntry("test-1"));

    public static JsonElement Token(string access, string refresh) =>
        Parse($$"""{"access_token": "{{access}}", "refresh_token": "{{refresh}}", "id_token": "eyJ.id.token", "expires_in": 28800, "token_type": "Bearer"}""");

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The payload with the writer and round that wrote it, so a test can tell whose write won.</summary>
    public static JsonElement Tagged(JsonElement payload, int writer, int round)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(payload.GetRawText())!.AsObject();
        node["writer"] = writer;
        node["round"] = round;
        return Parse(node.ToJsonString());
    }
}
