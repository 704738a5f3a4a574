-- feedback: exactly one event
-- Says yes without appending anything.
return {withdraw = function() return true end}
