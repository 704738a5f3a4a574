-- feedback: cost
-- Buys shards against the hot board instead of a cache.
local calls, d = {}, {}
for i = 1, 8 do calls[i] = {to = "shard" .. i, timeout = 0.5} end
d[1] = {name = "web", kind = "app", instances = 6, route = "key", calls = calls}
for i = 1, 8 do d[i + 1] = {name = "shard" .. i, kind = "db"} end
return d
