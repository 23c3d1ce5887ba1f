SELECT t.key, t.token_data, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id, t.login_required_at
  FROM public.tesla_accounts a
  JOIN public.tokens t ON t.key IN ('user_token:' || a.supabase_user_id || ':' || a.id, 'user_token:' || a.id, 'user_token:' || a.supabase_user_id)
 WHERE a.id = @account_id
 ORDER BY CASE t.key WHEN 'user_token:' || a.supabase_user_id || ':' || a.id THEN 0 WHEN 'user_token:' || a.id THEN 1 ELSE 2 END
 LIMIT 1;
