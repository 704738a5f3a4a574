-- feedback: does not fit on `n1`
-- Claims every pod fits on the first node.
return {pack = function(nodes, pods)
  local placed = {}
  for i = 1, #pods do placed[i] = nodes[1].name end
  return placed
end}
