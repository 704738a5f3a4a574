-- feedback: not available to your code
return {new = function(cfg) return lab.resilience.breaker(cfg) end}
