SELECT id, tesla_account_id, vin, display_name, state, last_synced_at, now() - last_synced_at FROM public.vehicles WHERE true AND tesla_account_id = @account_id ORDER BY vin, id LIMIT @limit;

SELECT id, tesla_account_id, vin, display_name, state, last_synced_at, now() - last_synced_at FROM public.vehicles WHERE true AND vin >= @vin_from AND vin <= @vin_to AND starts_with(vin, @vin_from) AND (vin, id) > (@after_vin, @after_id) ORDER BY vin, id LIMIT @limit;
