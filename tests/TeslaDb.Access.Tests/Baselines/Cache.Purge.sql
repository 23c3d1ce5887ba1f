DELETE FROM public.vehicle_data_cache WHERE true AND vehicle_id = @vehicle_id;

DELETE FROM public.vehicle_data_cache WHERE true AND endpoint_name = @endpoint_name;

DELETE FROM public.vehicle_data_cache WHERE true AND tesla_account_id = @account_id;
