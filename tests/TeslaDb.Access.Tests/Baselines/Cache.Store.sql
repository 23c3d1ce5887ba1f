INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
SELECT v.tesla_account_id, v.id, @endpoint_name, @response_data, now() + @ttl
  FROM public.vehicles v
 WHERE v.id = @vehicle_id AND v.tesla_account_id = @account_id
ON CONFLICT (vehicle_id, endpoint_name) DO UPDATE SET
    tesla_account_id = EXCLUDED.tesla_account_id,
    response_data = EXCLUDED.response_data,
    expires_at = EXCLUDED.expires_at,
    last_fetched_at = now();
