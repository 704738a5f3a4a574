-- feedback: kind `gateway`
-- puts a load balancer first, so that the failure hits it rather
-- than the gateways
local d = {{name = "lb", kind = "lb", calls = {{to = "gateways"}}},
           {name = "gateways", kind = "gateway", instances = 3,
            route = "key", calls = {}}}
for i = 1, 3 do
  d[2].calls[i] = {to = "store" .. i, timeout = 0.3}
  d[#d + 1] = {name = "store" .. i, kind = "store"}
end
return d
