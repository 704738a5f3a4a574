-- feedback: a healthy canary
-- The lesson's first wrong answer: rolls back as soon as the error rate
-- so far is above the SLO. An error among the first requests of a healthy
-- canary trips it; on seed 3 the random runs never drew one, and it passed.
local function judge(canary, slo)
  if canary.requests > 0 and canary.errors / canary.requests > slo then
    return "rollback"
  end
  return "continue"
end
return judge
