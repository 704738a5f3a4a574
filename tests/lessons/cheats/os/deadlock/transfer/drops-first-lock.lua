-- feedback: without holding both accounts' locks
-- takes both locks in order, but lets go of the first before the credit
return function(from, to, amount)
  local a, b = from, to
  if b < a then a, b = b, a end
  return {{"lock", "lock:" .. a}, {"lock", "lock:" .. b},
    {"read", from, "f"}, {"add", "f", -amount}, {"write", from, "f"},
    {"unlock", "lock:" .. a},
    {"read", to, "t"}, {"add", "t", amount}, {"write", to, "t"},
    {"unlock", "lock:" .. b}}
end
