UPDATE
	public.tesla_accounts
SET
	is_active = :IsActive
WHERE
	public.tesla_accounts.id = :accountId;
