SELECT public.cleanup_expired_cache();
