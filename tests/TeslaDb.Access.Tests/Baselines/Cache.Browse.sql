SELECT id, tesla_account_id, vehicle_id, endpoint_name, expires_at, last_fetched_at, (expires_at IS NULL OR expires_at > now()), pg_column_size(response_data) FROM public.vehicle_data_cache WHERE true ORDER BY id LIMIT @limit;

SELECT id, tesla_account_id, vehicle_id, endpoint_name, expires_at, last_fetched_at, (expires_at IS NULL OR expires_at > now()), pg_column_size(response_data) FROM public.vehicle_data_cache WHERE true AND tesla_account_id = @account_id AND vehicle_id = @vehicle_id AND endpoint_name = @endpoint_name AND expires_at <= now() AND id > @after ORDER BY id LIMIT @limit;
