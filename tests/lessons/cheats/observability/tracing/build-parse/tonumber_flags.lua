-- feedback: The flags are two hex digits
-- near miss: the flags validated with tonumber(f, 16), which takes a blank or a sign
local function hex(s) return s:match("^[0-9a-f]+$") ~= nil end
local function parse(h)
  if #h < 55 then return nil end
  local v = h:sub(1, 2)
  if not hex(v) or v == "ff" or h:sub(3, 3) ~= "-" then return nil end
  if v == "00" and #h ~= 55 then return nil end
  if #h > 55 and h:sub(56, 56) ~= "-" then return nil end
  local t, p, f = h:sub(4, 35), h:sub(37, 52), h:sub(54, 55)
  if h:sub(36, 36) ~= "-" or h:sub(53, 53) ~= "-" then return nil end
  if not (hex(t) and hex(p)) or f:match("%u") or not tonumber(f, 16) then return nil end
  if t == ("0"):rep(32) or p == ("0"):rep(16) then return nil end
  return {trace_id = t, parent_id = p, sampled = tonumber(f, 16) & 1 == 1}
end
return {parse = parse}
