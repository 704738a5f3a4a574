-- feedback: degraded success
-- a store call that gives up fast and answers a degraded success
local d = {{name = "gateways", kind = "gateway", instances = 4,
            route = "key", calls = {}}}
for i = 1, 1 do
  d[1].calls[i] = {to = "store" .. i, timeout = 0.01, fallback = true}
  d[#d + 1] = {name = "store" .. i, kind = "store"}
end
return d
