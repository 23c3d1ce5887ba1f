SELECT
	a.id,
	a.supabase_user_id,
	a.account_name,
	a.email,
	a.is_active,
	a.created_at,
	a.updated_at
FROM
	public.tesla_accounts a
WHERE
	a.supabase_user_id = :supabaseUserId
ORDER BY
	a.created_at,
	a.id;
