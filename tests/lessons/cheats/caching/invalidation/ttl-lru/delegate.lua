-- feedback: is not available to your code
return {new = function(cap, clock)
  return lab.cache.new{capacity = cap, policy = "lru", clock = clock}
end}
