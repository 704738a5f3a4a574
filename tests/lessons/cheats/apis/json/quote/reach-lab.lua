-- feedback: is not available
-- hand back lab.json's own encoder
return {quote = function(s) return lab.json.encode(s) end}
