SELECT response_data::text, (expires_at IS NULL OR expires_at > now()), now() - last_fetched_at
  FROM public.vehicle_data_cache
 WHERE vehicle_id = @vehicle_id AND endpoint_name = @endpoint_name AND tesla_account_id = @account_id;
