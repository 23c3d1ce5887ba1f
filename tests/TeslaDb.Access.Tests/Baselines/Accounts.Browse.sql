SELECT a.id, a.supabase_user_id, a.account_name, a.email, a.is_active, a.created_at,
       (SELECT count(*) FROM public.vehicles v WHERE v.tesla_account_id = a.id)
  FROM public.tesla_accounts a
 WHERE true
 ORDER BY a.supabase_user_id, a.id
 LIMIT @limit;

SELECT a.id, a.supabase_user_id, a.account_name, a.email, a.is_active, a.created_at,
       (SELECT count(*) FROM public.vehicles v WHERE v.tesla_account_id = a.id)
  FROM public.tesla_accounts a
 WHERE true AND (a.supabase_user_id = @id OR a.id = @id) AND (a.supabase_user_id, a.id) > (@after_user, @after_id)
 ORDER BY a.supabase_user_id, a.id
 LIMIT @limit;

SELECT a.id, a.supabase_user_id, a.account_name, a.email, a.is_active, a.created_at,
       (SELECT count(*) FROM public.vehicles v WHERE v.tesla_account_id = a.id)
  FROM public.tesla_accounts a
 WHERE true AND (a.email ILIKE @pattern OR a.account_name ILIKE @pattern)
 ORDER BY a.supabase_user_id, a.id
 LIMIT @limit;
