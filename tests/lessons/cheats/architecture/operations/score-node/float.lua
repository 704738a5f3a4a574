-- feedback: the reference returned
-- Right formula with float division: no rounding down.
return {score = function(node, pod, strategy)
  local cpu = node.cpu_requested + pod.cpu
  local mem = node.memory_requested + pod.memory
  if cpu > node.cpu or mem > node.memory then return nil end
  local function one(a, r)
    if strategy == "least" then return (a - r) * 100 / a end
    return r * 100 / a
  end
  return (one(node.cpu, cpu) + one(node.memory, mem)) / 2
end}
