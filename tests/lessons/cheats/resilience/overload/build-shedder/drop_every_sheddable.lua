-- feedback: with the server only
return function(waited, timeout, priority) return priority == "critical" end
