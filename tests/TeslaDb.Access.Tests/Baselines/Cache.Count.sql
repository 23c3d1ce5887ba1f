SELECT count(*) FROM public.vehicle_data_cache WHERE true AND tesla_account_id = @account_id;
