-- feedback: must return the same steps for the same
-- Adds every size seen so far in the last call, nothing in the others.
local seen = 0
return function(w)
  seen = seen + w
  return {{"atomic_add", "count", 1}, {"atomic_add", "total", seen}}
end
