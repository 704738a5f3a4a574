-- feedback: the reference returned
-- a NAT whose mappings never expire
local NAT = {}
NAT.__index = NAT
function NAT.new(public, first_port, timeout)
  return setmetatable({public = public, next_port = first_port,
    by_inside = {}, by_port = {}}, NAT)
end
function NAT:send(src, dst)
  local m = self.by_inside[src]
  if not m then
    m = {inside = src, port = self.next_port, sent = {}}
    self.next_port = self.next_port + 1
    self.by_inside[src], self.by_port[m.port] = m, m
  end
  m.sent[dst] = true
  return {src = self.public .. ":" .. m.port, dst = dst}
end
function NAT:receive(src, port)
  local m = self.by_port[port]
  if m and m.sent[src] then return {src = src, dst = m.inside} end
  return nil
end
function NAT:advance(dt) end
return NAT
