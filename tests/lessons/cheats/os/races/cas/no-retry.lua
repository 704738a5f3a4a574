-- feedback: end wrong
-- One attempt, no retry: a failed swap loses the update.
return function(var)
  return {{"read", var, "old"}, {"set", "new", "old"}, {"add", "new", 1},
    {"cas", var, "old", "new", "ok"}}
end
