-- feedback: the parent-id is lowercase hex too
-- near miss: validates only the version and the trace-id; the parent-id and
-- flags are never checked (no hex check, no length, no all-zero rule)
local function outgoing(incoming, span_id, new_trace_id)
  if type(incoming) == "string" then
    local v, t, rest = incoming:match("^([0-9a-f][0-9a-f])%-([0-9a-f]+)%-(.*)$")
    if v and v ~= "ff" and #t == 32 and t ~= ("0"):rep(32)
       and (v ~= "00" or #incoming == 55) then
      local f = tonumber(incoming:sub(54, 55), 16) or 1
      return ("00-%s-%s-%02x"):format(t, span_id, f & 1)
    end
  end
  return ("00-%s-%s-01"):format(new_trace_id, span_id)
end
return {outgoing = outgoing}
