-- feedback: is not available to your code
-- lab.httpcache's own answer
return function(r)
  local d = lab.httpcache.evaluate{now = r.now, shared = r.shared,
    requested = r.requested, received = r.received,
    response = {status = 200, headers = r.headers}}
  return d.lifetime, d.age, d.fresh
end
