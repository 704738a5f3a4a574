-- feedback: is not available to your code
-- issue 8: lab's own LRU handed back as the learner's
return {new = function(c) return lab.cache.new{capacity = c, policy = "lru"} end}
