-- feedback: lab.sched is not available
-- Hands back lab's own first fit decreasing.
return {pack = function(nodes, pods)
  return lab.sched.pack{nodes = nodes, pods = pods}.placement
end}
