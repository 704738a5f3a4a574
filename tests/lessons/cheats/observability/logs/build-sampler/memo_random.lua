-- feedback: Another process
-- cheat: random per id, remembered in a table: consistent only within one process
local memo = {}
local function keep(trace_id, rate)
  local u = memo[trace_id]
  if not u then u = math.random(); memo[trace_id] = u end
  return u < rate
end
return {keep = keep}
