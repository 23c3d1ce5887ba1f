SELECT response_data::text FROM public.vehicle_data_cache
 WHERE vehicle_id = @vehicle_id AND endpoint_name = @endpoint_name AND (expires_at IS NULL OR expires_at > now());
