-- feedback: a new trace is sampled
-- near miss: a new trace copies the sampled bit of the invalid header
local function hex(s) return s:match("^[0-9a-f]+$") ~= nil end
local function parse(h)
  if type(h) ~= "string" or #h < 55 then return nil end
  local v = h:sub(1, 2)
  if not hex(v) or v == "ff" or h:sub(3, 3) ~= "-" then return nil end
  if v == "00" and #h ~= 55 then return nil end
  if #h > 55 and h:sub(56, 56) ~= "-" then return nil end
  local t, p, f = h:sub(4, 35), h:sub(37, 52), h:sub(54, 55)
  if h:sub(36, 36) ~= "-" or h:sub(53, 53) ~= "-" then return nil end
  if not (hex(t) and hex(p) and hex(f)) then return nil end
  if t == ("0"):rep(32) or p == ("0"):rep(16) then return nil end
  return {trace_id = t, flags = tonumber(f, 16)}
end
local function outgoing(incoming, span_id, new_trace_id)
  local p = parse(incoming)
  if not p then
    local f = incoming and tonumber(incoming:sub(54, 55), 16) or 1
    return ("00-%s-%s-%02x"):format(new_trace_id, span_id, f & 1)
  end
  return ("00-%s-%s-%02x"):format(p.trace_id, span_id, p.flags & 1)
end
return {outgoing = outgoing}
