-- feedback: a healthy canary
-- Waits for 1000 requests, then rolls back as soon as the error rate is above
-- the SLO: no margin for noise. It passed the random runs of seeds 1-4 and 7.
local function judge(canary, slo)
  if canary.requests >= 1000 and canary.errors / canary.requests > slo then
    return "rollback"
  end
  return "continue"
end
return judge
