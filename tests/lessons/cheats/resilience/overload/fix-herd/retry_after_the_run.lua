-- feedback: giving up without saying so
return {timeout = 1, retries = 4, backoff = 60, cap = 60}
