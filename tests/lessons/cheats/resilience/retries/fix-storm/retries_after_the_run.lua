-- feedback: the storm goes on
-- keeps "3 retries" but waits 1000 s before each: the api's threads sleep in backoff, and it stops serving
return {
  api = {timeout = 0.1, retries = 3, backoff = 1000, cap = 1000},
  client = {timeout = 0.5, retries = 3, backoff = 1000, cap = 1000},
}
