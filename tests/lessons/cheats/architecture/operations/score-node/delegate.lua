-- feedback: lab.sched is not available
-- Hands back lab's own NodeResourcesFit score.
return {score = function(node, pod, strategy)
  return lab.sched.score(node, pod, strategy)
end}
