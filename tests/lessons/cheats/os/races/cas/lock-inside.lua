-- feedback: lock-free
-- A CAS step as decoration, the work under a lock.
return function(var)
  return {{"lock", "m"}, {"read", var, "r"}, {"add", "r", 1},
    {"write", var, "r"}, {"cas", var, 0, 0}, {"unlock", "m"}}
end
