-- feedback: is not available to your code
-- lab's own sliding-window counter
return {new = function(opts) return lab.ratelimit.sliding_window(opts) end}
