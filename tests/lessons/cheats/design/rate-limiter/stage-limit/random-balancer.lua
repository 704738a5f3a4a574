-- feedback: spreads requests at random
-- local buckets of limit / 4 behind a balancer that spreads at random
local d = {{name = "lb", kind = "lb", route = "one", calls = {}}}
for i = 1, 4 do
  d[1].calls[i] = {to = "gw" .. i}
  d[i + 1] = {name = "gw" .. i, kind = "limiter",
    limit = {rate = 250, burst = 250}, calls = {{to = "api"}}}
end
d[6] = {name = "api", kind = "app", instances = 2}
return d
