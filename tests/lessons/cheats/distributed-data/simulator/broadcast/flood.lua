-- feedback: memory
-- Floods the network until the simulation runs out of memory.
local Node = {}
function Node.start(n)
  local big = string.rep("x", 4096)
  for i = 1, 1e7 do n:send(n.peers[1 + i % #n.peers], big .. i) end
end
function Node.request(n, op, id) n:reply(id, {}) end
function Node.receive() end
return Node
