-- feedback: lab.trace is not available
return {outgoing = function(tp, span) return lab.trace.child(tp, 1) end}
