DELETE FROM public.tokens WHERE key = @key;
