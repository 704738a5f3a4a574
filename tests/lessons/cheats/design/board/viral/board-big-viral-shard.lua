-- feedback: spread the boards evenly
-- The viral board's shard also holds most other boards, so the shard the check fails is a small one.
local calls = {}
local d = {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key", calls = calls},
}
-- shard(1, 8) is 2: relays 1..8, all but three lead to shard2
local to = {"shard2", "shard2", "shard2", "shard1", "shard2", "shard3", "shard4", "shard2"}
for i = 1, 8 do
  calls[i] = {to = "r" .. i, timeout = 0.5}
  d[#d + 1] = {name = "r" .. i, kind = "lb", calls = {{to = to[i], timeout = 0.5}}}
end
for i = 1, 4 do d[#d + 1] = {name = "shard" .. i, kind = "db"} end
return d
