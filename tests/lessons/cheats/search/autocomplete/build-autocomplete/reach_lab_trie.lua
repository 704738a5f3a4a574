-- feedback: lab.trie is not available to your code
local AC = {}
AC.__index = AC
function AC.new() return setmetatable({t = lab.trie.new()}, AC) end
function AC:insert(w) self.t:insert(w) end
function AC:complete(p, k)
  local out = {}
  for i, c in ipairs(self.t:complete(p, k)) do out[i] = c.word end
  return out
end
return AC
