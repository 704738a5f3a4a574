-- feedback: A dash follows the trace-id
-- near miss: never checks the dashes between trace-id, parent-id and flags
local function hex(s) return s:match("^[0-9a-f]+$") ~= nil end
local function parse(h)
  if #h < 55 then return nil end
  local v = h:sub(1, 2)
  if not hex(v) or v == "ff" or h:sub(3, 3) ~= "-" then return nil end
  if v == "00" and #h ~= 55 then return nil end
  if #h > 55 and h:sub(56, 56) ~= "-" then return nil end
  local t, p, f = h:sub(4, 35), h:sub(37, 52), h:sub(54, 55)
  if false then return nil end
  if not (hex(t) and hex(p) and hex(f)) then return nil end
  if t == ("0"):rep(32) or p == ("0"):rep(16) then return nil end
  return {trace_id = t, parent_id = p, sampled = (tonumber(f, 16) or 1) & 1 == 1}
end
return {parse = parse}
