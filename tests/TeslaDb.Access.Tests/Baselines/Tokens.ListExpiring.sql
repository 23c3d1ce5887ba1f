SELECT t.key, t.tesla_account_id, t.expires_at, CASE WHEN t.token_data ? 'ct' THEN coalesce((t.token_data ->> 'has_refresh_token')::boolean, false) ELSE coalesce(t.token_data ->> 'refresh_token', '') <> '' END, t.login_required_at
  FROM public.tokens t
 WHERE t.expires_at <= now() + @within
 ORDER BY t.expires_at, t.key;
