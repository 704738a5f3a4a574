-- feedback: a failure with another name
return {timeout = 1, retries = 6, backoff = 0.5, cap = 8, fallback = true,
        breaker = {threshold = 0.5, window = 20, min_calls = 10, open_for = 5}}
