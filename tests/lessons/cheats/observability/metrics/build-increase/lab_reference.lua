-- feedback: lab.metrics is not available
return {increase = function(s, range, at) return lab.metrics.increase(s, {range = range, at = at}) end}
