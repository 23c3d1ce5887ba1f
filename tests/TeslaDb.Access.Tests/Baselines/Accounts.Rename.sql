UPDATE
	public.tesla_accounts
SET
	account_name = :AccountName
WHERE
	public.tesla_accounts.id = :accountId;
