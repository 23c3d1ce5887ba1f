SELECT key, tesla_account_id, expires_at, coalesce(token_data ->> 'refresh_token', '') <> ''
  FROM public.tokens
 WHERE expires_at <= now() + @within
 ORDER BY expires_at, key;
