-- feedback: is not available
-- let lab.sse parse
return {parse = function(t) return lab.sse.parse(t) end}
