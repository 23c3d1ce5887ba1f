DELETE FROM public.tokens WHERE tesla_account_id = @account_id OR key = 'user_token:' || @account_id::text;
