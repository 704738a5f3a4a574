-- feedback: the reference returned
-- Reads ranges and lists but ignores every step.
return {expand = function(field, lo, hi)
  local seen, out = {}, {}
  for item in field:gmatch("[^,/]+") do
    if item == "*" then for v = lo, hi do seen[v] = true end
    else
      local a, b = item:match("^(%d+)-(%d+)$")
      if a then for v = tonumber(a), tonumber(b) do seen[v] = true end
      elseif tonumber(item) then seen[tonumber(item)] = true end
    end
  end
  for v = lo, hi do if seen[v] then out[#out + 1] = v end end
  return out
end}
