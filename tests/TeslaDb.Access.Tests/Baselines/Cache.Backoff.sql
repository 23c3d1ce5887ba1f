INSERT INTO public.tesla_api_backoff (tesla_account_id, retry_at, reason)
VALUES (@account_id, now() + @retry_after, @reason)
ON CONFLICT (tesla_account_id) DO UPDATE SET
    retry_at = greatest(public.tesla_api_backoff.retry_at, EXCLUDED.retry_at),
    reason = EXCLUDED.reason,
    updated_at = now();
