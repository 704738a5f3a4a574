-- feedback: end wrong
-- Writes what it guesses the answer is, under a lock.
return function(var)
  return {{"lock", "m"}, {"write", var, 2}, {"unlock", "m"}}
end
