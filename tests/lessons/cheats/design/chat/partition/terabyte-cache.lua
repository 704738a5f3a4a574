-- feedback: cost $
-- a 1 TB cache in front of the partitions, so that loads never reach them
local d = {{name = "gateways", kind = "gateway", instances = 4,
            calls = {{to = "cache", timeout = 0.3}}},
           {name = "cache", kind = "cache", memory = 1000, route = "key",
            calls = {}}}
for i = 1, 3 do
  d[2].calls[i] = {to = "store" .. i, timeout = 0.3}
  d[#d + 1] = {name = "store" .. i, kind = "store"}
end
return d
