SELECT v.state,
       (SELECT b.retry_at FROM public.tesla_api_backoff b WHERE b.tesla_account_id = v.tesla_account_id AND b.retry_at > now()),
       c.response_data::text, (c.expires_at IS NULL OR c.expires_at > now()), now() - c.last_fetched_at
  FROM public.vehicles v
  LEFT JOIN public.vehicle_data_cache c ON c.vehicle_id = v.id AND c.endpoint_name = @endpoint_name
 WHERE v.id = @vehicle_id AND v.tesla_account_id = @account_id;
