-- feedback: depend
-- the right actions in the order the resources are listed, ignoring
-- dependencies
local M = {}
function M.plan(desired, actual)
  local want, have, out = {}, {}, {}
  for _, r in ipairs(desired) do want[r.id] = r end
  for _, r in ipairs(actual) do have[r.id] = r end
  for _, d in ipairs(desired) do
    local a = have[d.id]
    if not a then out[#out + 1] = {op = "create", id = d.id, changes = {}}
    else
      local ch = {}
      if a.type ~= d.type then ch[#ch + 1] = "type" end
      for k, v in pairs(d.attrs or {}) do if (a.attrs or {})[k] ~= v then ch[#ch + 1] = k end end
      for k in pairs(a.attrs or {}) do if (d.attrs or {})[k] == nil then ch[#ch + 1] = k end end
      table.sort(ch)
      if #ch > 0 then
        local op = "update"
        for _, n in ipairs(ch) do
          if n == "type" then op = "replace" end
          for _, f in ipairs(d.force_new or {}) do if f == n then op = "replace" end end
        end
        out[#out + 1] = {op = op, id = d.id, changes = ch}
      end
    end
  end
  for _, a in ipairs(actual) do
    if not want[a.id] then out[#out + 1] = {op = "delete", id = a.id, changes = {}} end
  end
  return out
end
return M
