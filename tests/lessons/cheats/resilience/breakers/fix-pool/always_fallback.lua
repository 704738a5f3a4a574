-- feedback: not the rule
-- never really calls recommend: every answer degraded
return {timeout = 1e-6, fallback = true}
