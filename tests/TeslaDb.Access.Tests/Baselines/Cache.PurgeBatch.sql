DELETE FROM public.vehicle_data_cache
 WHERE id IN (SELECT id FROM public.vehicle_data_cache WHERE true AND tesla_account_id = @account_id AND endpoint_name = @endpoint_name LIMIT @batch);
