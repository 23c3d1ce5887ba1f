DELETE FROM
	public.tesla_accounts a
WHERE
	a.id = :accountId;
