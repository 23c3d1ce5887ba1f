SELECT 'user_token:' || a.supabase_user_id || ':' || a.id FROM public.tesla_accounts a WHERE a.id = @account_id;
