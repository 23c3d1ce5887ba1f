INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
VALUES (@account_id, @vehicle_id, @endpoint_name, @response_data, now() + @ttl)
ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
    tesla_account_id = EXCLUDED.tesla_account_id,
    response_data = EXCLUDED.response_data,
    expires_at = EXCLUDED.expires_at,
    last_fetched_at = now();
