-- feedback: a transfer runs straight through
-- jumps over the lock steps so the walk sees them and the run does not
return function(from, to, amount)
  return {{"jmp", 4}, {"lock", "lock:" .. from}, {"lock", "lock:" .. to},
    {"read", from, "f"}, {"add", "f", -amount}, {"write", from, "f"},
    {"read", to, "t"}, {"add", "t", amount}, {"write", to, "t"}}
end
