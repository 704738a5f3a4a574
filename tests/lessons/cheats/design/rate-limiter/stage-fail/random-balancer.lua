-- feedback: spreads requests at random
-- local buckets behind a random balancer: one dies, the other still limits
local d = {{name = "lb", kind = "lb", route = "one", calls = {}}}
for i = 1, 2 do
  d[1].calls[i] = {to = "gw" .. i}
  d[i + 1] = {name = "gw" .. i, kind = "limiter", instances = 2,
    limit = {rate = 1500, burst = 1500}, calls = {{to = "api"}}}
end
d[4] = {name = "api", kind = "app"}
return d
