SELECT t.key, t.tesla_account_id, t.expires_at, coalesce(t.expires_at <= now(), false),
       CASE WHEN t.token_data ? 'ct' THEN coalesce((t.token_data ->> 'has_access_token')::boolean, false) ELSE coalesce(t.token_data ->> 'access_token', '') <> '' END, CASE WHEN t.token_data ? 'ct' THEN coalesce((t.token_data ->> 'has_refresh_token')::boolean, false) ELSE coalesce(t.token_data ->> 'refresh_token', '') <> '' END, t.updated_at,
       CASE WHEN t.token_data ? 'ct' THEN t.token_data ->> 'kid' END, t.login_required_at
  FROM public.tesla_accounts a
  JOIN public.tokens t ON t.key IN ('user_token:' || a.supabase_user_id || ':' || a.id, 'user_token:' || a.id, 'user_token:' || a.supabase_user_id)
 WHERE a.id = @account_id
 ORDER BY CASE t.key WHEN 'user_token:' || a.supabase_user_id || ':' || a.id THEN 0 WHEN 'user_token:' || a.id THEN 1 ELSE 2 END
 LIMIT 1;
