-- feedback: cost $
-- buys capacity instead of designing: 1000 gateways, 8 partitions
local d = {{name = "gateways", kind = "gateway", instances = 1000,
            route = "key", calls = {}}}
for i = 1, 8 do
  d[1].calls[i] = {to = "store" .. i, timeout = 0.3}
  d[#d + 1] = {name = "store" .. i, kind = "store", instances = 1000}
end
return d
