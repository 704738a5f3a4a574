-- feedback: it should keep about
-- consistent and monotone, but every id of the same length gets the same answer
return {keep = function(id, rate) return (#id * 0.37) % 1 < rate end}
