SELECT t.key, t.token_data, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id, t.login_required_at, coalesce(t.expires_at > now() + @skew, false)
  FROM public.tokens t
 WHERE t.key = @key
   FOR UPDATE;
