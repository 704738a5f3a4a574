-- feedback: the reference returned
-- Range runs in the order members were given, not sorted by name.
local function assign(n, members)
  local m = #members
  local per, extra, p, out = n // m, n % m, 0, {}
  for i, name in ipairs(members) do
    out[name] = {}
    for _ = 1, per + (i - 1 < extra and 1 or 0) do
      out[name][#out[name] + 1] = p
      p = p + 1
    end
  end
  return out
end
return {assign = assign}
