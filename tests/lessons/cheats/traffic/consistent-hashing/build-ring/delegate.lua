-- feedback: is not available to your code
return {new = function(v)
  local r = lab.hash.ring{vnodes = v}
  local function has(name)
    for _, n in ipairs(r:nodes()) do if n == name then return true end end
    return false
  end
  return {
    add = function(_, name) if not has(name) then r:add(name) end end,
    remove = function(_, name) return r:remove(name) end,
    lookup = function(_, key) return r:lookup(key) end,
  }
end}
