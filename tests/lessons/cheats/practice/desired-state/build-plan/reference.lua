-- feedback: not available to your code
return {plan = function(d, a) return lab.reconcile.plan(d, a) end}
