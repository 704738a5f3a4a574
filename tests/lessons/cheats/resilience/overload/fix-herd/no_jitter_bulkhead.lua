-- feedback: requests fail
-- no jitter: a client bulkhead refuses locally, and that is failing
return {timeout = 1, retries = 4, backoff = 0.5, cap = 8, bulkhead = 50}
