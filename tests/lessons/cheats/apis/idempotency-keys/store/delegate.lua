-- feedback: is not available to your code
return {new = function(ttl) return lab.idem.new{ttl = ttl} end}
