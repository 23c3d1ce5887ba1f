INSERT INTO public.vehicles (tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version)
SELECT @account_id, v.tesla_id, v.tesla_vehicle_id, v.vin, v.vehicle_data, v.display_name, v.access_type, v.state, v.in_service, v.api_version
  FROM unnest(@tesla_ids, @tesla_vehicle_ids, @vins, @vehicle_data, @display_names, @access_types, @states, @in_service, @api_versions)
       AS v (tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version)
ON CONFLICT (tesla_account_id, tesla_id) DO UPDATE SET
    tesla_vehicle_id = EXCLUDED.tesla_vehicle_id,
    vin = EXCLUDED.vin,
    vehicle_data = EXCLUDED.vehicle_data,
    display_name = EXCLUDED.display_name,
    access_type = EXCLUDED.access_type,
    state = EXCLUDED.state,
    in_service = EXCLUDED.in_service,
    api_version = EXCLUDED.api_version,
    last_synced_at = now()
RETURNING tesla_id, id;
