-- feedback: the version is lowercase hex
-- near miss: fields checked for length and zeros, not for hex (uppercase and g pass)
local function outgoing(incoming, span_id, new_trace_id)
  local h = incoming
  if type(h) == "string" then
    local v, t, p, f, rest = h:match("^(..)%-(.-)%-(.-)%-(..)(.*)$")
    if v and v ~= "ff" and #t == 32 and #p == 16 and (rest == "" or (v ~= "00" and rest:sub(1,1) == "-"))
       and t ~= ("0"):rep(32) and p ~= ("0"):rep(16) and tonumber(f, 16) then
      return ("00-%s-%s-%02x"):format(t, span_id, tonumber(f, 16) & 1)
    end
  end
  return ("00-%s-%s-01"):format(new_trace_id, span_id)
end
return {outgoing = outgoing}
