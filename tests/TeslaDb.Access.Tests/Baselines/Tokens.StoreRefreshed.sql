UPDATE public.tokens t SET
    token_data = @token_data || jsonb_build_object('expires_at', now() + @ttl),
    expires_at = now() + @ttl,
    login_required_at = NULL
 WHERE t.key = @key
RETURNING t.key, t.token_data, t.expires_at, t.created_at, t.updated_at, t.tesla_account_id, t.login_required_at;
