-- feedback: the reference returned
-- the filter counts the defaults too
local function one(alloc, req, strategy)
  if strategy == "least" then
    if req > alloc then return 0 end
    return (alloc - req) * 100 // alloc
  end
  return math.min(req, alloc) * 100 // alloc
end
local function score(node, pod, strategy)
  local cpu = node.cpu_requested + (pod.cpu or 0)
  local mem = node.memory_requested + (pod.memory or 0)
  if node.cpu_requested + (pod.cpu or 100) > node.cpu or node.memory_requested + (pod.memory or 209715200) > node.memory then return nil end
  cpu = node.cpu_requested + (pod.cpu or 100)
  mem = node.memory_requested + (pod.memory or 209715200)
  return (one(node.cpu, cpu, strategy) + one(node.memory, mem, strategy)) // 2
end
return {score = score}
