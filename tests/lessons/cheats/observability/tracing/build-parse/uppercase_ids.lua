-- feedback: Hex digits must be lowercase
-- near miss: one pattern with %x for the ids (uppercase accepted), lowercase only for the version
local function parse(h)
  local v, t, p, f, rest = h:match("^([0-9a-f][0-9a-f])%-(%x+)%-(%x+)%-([0-9a-f][0-9a-f])(.*)$")
  if not v or v == "ff" or #t ~= 32 or #p ~= 16 then return nil end
  if v == "00" and rest ~= "" then return nil end
  if rest ~= "" and rest:sub(1, 1) ~= "-" then return nil end
  if t == ("0"):rep(32) or p == ("0"):rep(16) then return nil end
  return {trace_id = t, parent_id = p, sampled = tonumber(f, 16) & 1 == 1}
end
return {parse = parse}
