-- feedback: still running after
-- ratio only, a fixed threshold, waits for 200 requests
return function(c, slo)
  if c.requests >= 200 and c.errors / c.requests > 0.02 then return "rollback" end
  return "continue"
end
