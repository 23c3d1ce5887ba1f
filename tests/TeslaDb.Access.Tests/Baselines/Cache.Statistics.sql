SELECT endpoint_name, count(*), count(*) FILTER (WHERE expires_at <= now()), coalesce(sum(pg_column_size(response_data)), 0)::bigint, min(last_fetched_at)
  FROM public.vehicle_data_cache
 WHERE true
 GROUP BY endpoint_name
 ORDER BY endpoint_name;

SELECT endpoint_name, count(*), count(*) FILTER (WHERE expires_at <= now()), coalesce(sum(pg_column_size(response_data)), 0)::bigint, min(last_fetched_at)
  FROM public.vehicle_data_cache
 WHERE true AND tesla_account_id = @account_id
 GROUP BY endpoint_name
 ORDER BY endpoint_name;
