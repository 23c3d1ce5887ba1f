UPDATE public.tokens SET login_required_at = now() WHERE key = @key RETURNING login_required_at;
