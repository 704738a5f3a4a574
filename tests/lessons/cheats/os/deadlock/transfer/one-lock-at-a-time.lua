-- feedback: without holding both accounts' locks
-- cheat: never holds both locks (takes each once, as required), so no lock
-- ordering is needed; the check only looks at final balances
return function(from, to, amount)
  return {
    {"lock", "lock:" .. from},
    {"read", from, "f"}, {"add", "f", -amount}, {"write", from, "f"},
    {"unlock", "lock:" .. from},
    {"lock", "lock:" .. to},
    {"read", to, "t"}, {"add", "t", amount}, {"write", to, "t"},
    {"unlock", "lock:" .. to},
  }
end
