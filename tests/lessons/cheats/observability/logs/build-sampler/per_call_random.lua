-- feedback: the decision must depend on the id only
local n = 0
return {keep = function(id, rate) n = n + 1; return (n * 2654435761 % 1000) / 1000 < rate end}
