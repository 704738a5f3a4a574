-- feedback: noise, not a breach
-- ignores slo: a fixed error rate of 1.2 %, after 300 requests
return function(c, slo)
  if c.requests >= 300 and c.errors / c.requests > 0.012 then return "rollback" end
  return "continue"
end
