-- feedback: a failure with another name
-- "keeps" 4 retries but a tiny budget: nobody retries, failures hidden by fallback
return {timeout = 1, retries = 4, budget = 0.000001, budget_min = 1, fallback = true}
