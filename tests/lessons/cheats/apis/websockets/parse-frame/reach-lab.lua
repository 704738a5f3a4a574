-- feedback: is not available
-- let lab.ws read the frame
return {parse = function(b) return lab.ws.decode(b) end}
