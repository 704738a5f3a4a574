-- feedback: did not answer
-- Detects nothing: lists everyone until the check starts asking about the
-- crashed node (30 s), then refuses to answer, so no answer is wrong.
local Node = {}
function Node.request(n, op, id)
  if n:now() >= 30 then return n:fail(id, "busy") end
  local list = {n.id}
  for _, p in ipairs(n.peers) do list[#list + 1] = p end
  table.sort(list)
  n:reply(id, list)
end
return Node
