using System.Text.Json.Nodes;

namespace TeslaDb.FleetSimulator;

/// <summary>The sections of <c>vehicle_data</c> with Tesla's field names, so the cached payloads look like real ones.</summary>
internal static class VehicleDataShapes
{
    public static readonly string[] Endpoints =
        ["charge_state", "climate_state", "closures_state", "drive_state", "gui_settings", "location_data", "vehicle_config", "vehicle_state"];

    public static JsonObject Section(string endpoint, SimulatedVehicle vehicle, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        return endpoint switch
        {
            "charge_state" => new JsonObject
            {
                ["battery_level"] = vehicle.BatteryLevel, ["usable_battery_level"] = vehicle.BatteryLevel - 1,
                ["battery_range"] = Math.Round(vehicle.BatteryLevel * 3.1, 2), ["charge_limit_soc"] = 80,
                ["charging_state"] = "Disconnected", ["charger_power"] = 0, ["charge_energy_added"] = 12.5,
                ["time_to_full_charge"] = 0.0, ["charge_port_door_open"] = false, ["timestamp"] = timestamp,
            },
            "climate_state" => new JsonObject
            {
                ["inside_temp"] = 21.5, ["outside_temp"] = 12.0, ["is_climate_on"] = false, ["driver_temp_setting"] = 20.5,
                ["passenger_temp_setting"] = 20.5, ["fan_status"] = 0, ["timestamp"] = timestamp,
            },
            "drive_state" => new JsonObject
            {
                ["latitude"] = 48.8566, ["longitude"] = 2.3522, ["heading"] = 90, ["speed"] = null, ["power"] = 0,
                ["shift_state"] = null, ["gps_as_of"] = now.ToUnixTimeSeconds(), ["timestamp"] = timestamp,
            },
            "vehicle_state" => new JsonObject
            {
                ["odometer"] = 12345.6, ["locked"] = true, ["sentry_mode"] = false, ["car_version"] = "2025.44.3",
                ["vehicle_name"] = vehicle.DisplayName, ["timestamp"] = timestamp,
            },
            "vehicle_config" => new JsonObject
            {
                ["car_type"] = "model3", ["trim_badging"] = "74d", ["exterior_color"] = "MidnightSilver",
                ["wheel_type"] = "Pinwheel18", ["can_accept_navigation_requests"] = true, ["timestamp"] = timestamp,
            },
            "gui_settings" => new JsonObject
            {
                ["gui_distance_units"] = "km/hr", ["gui_temperature_units"] = "C", ["gui_charge_rate_units"] = "kW",
                ["gui_24_hour_time"] = true, ["gui_range_display"] = "Rated", ["timestamp"] = timestamp,
            },
            _ => new JsonObject { ["timestamp"] = timestamp },
        };
    }
}
