-- feedback: is not available to your code
-- lab's own leaky queue, dressed as limit_req
return {new = function(o)
  local q = lab.ratelimit.leaky_queue{rate = o.rate, capacity = o.burst}
  return {allow = function(_, now)
    if not q:allow(now) then return false end
    return true, o.nodelay and 0 or q:detail().delay
  end}
end}
