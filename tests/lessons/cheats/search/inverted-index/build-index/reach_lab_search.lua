-- feedback: lab.search is not available to your code
local R = {}
R.__index = R
function R.new()
  return setmetatable({idx = lab.search.index(), order = {}}, R)
end
function R:add(id, text) self.idx:add(id, text); self.order[id] = #self.idx end
function R:terms(text) return self.idx:analyze(text) end
function R:postings(t)
  local out = {}
  for _, h in ipairs(self.idx:search("+" .. t, 1e6)) do out[#out + 1] = h.id end
  table.sort(out, function(a, b) return self.order[a] < self.order[b] end)
  return out
end
function R:all(q) return {} end
return R
