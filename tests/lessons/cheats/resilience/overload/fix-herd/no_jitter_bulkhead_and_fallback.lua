-- feedback: a failure with another name
-- no jitter: a client bulkhead refuses locally, and fallback turns every failure into "degraded"
return {timeout = 1, retries = 4, backoff = 0.5, cap = 8, bulkhead = 50, fallback = true}
