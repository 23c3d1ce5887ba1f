INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id)
SELECT 'user_token:' || a.supabase_user_id || ':' || a.id, @token_data, now() + @ttl, a.id
  FROM public.tesla_accounts a
 WHERE a.id = @account_id
ON CONFLICT (key) DO UPDATE SET
    token_data = EXCLUDED.token_data,
    expires_at = EXCLUDED.expires_at,
    tesla_account_id = EXCLUDED.tesla_account_id
RETURNING key;
