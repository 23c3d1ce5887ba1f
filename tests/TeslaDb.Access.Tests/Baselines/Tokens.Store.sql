INSERT INTO public.tokens (key, token_data, expires_at, tesla_account_id)
SELECT @key, @token_data || jsonb_build_object('expires_at', now() + @ttl), now() + @ttl, a.id
  FROM public.tesla_accounts a
 WHERE a.id = @account_id
   AND 'user_token:' || a.supabase_user_id || ':' || a.id = @key
ON CONFLICT (key) DO UPDATE SET
    token_data = EXCLUDED.token_data,
    expires_at = EXCLUDED.expires_at,
    tesla_account_id = EXCLUDED.tesla_account_id,
    login_required_at = NULL
RETURNING key;
