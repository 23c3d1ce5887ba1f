DELETE FROM public.vehicle_data_cache WHERE id = ANY(@ids);
