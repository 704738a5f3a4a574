-- feedback: spread the boards evenly
-- shard1, the shard the check used to fail, gets an eighth of the boards; the rest go to the others through relays.
local calls = {{to = "shard1", timeout = 0.5}}
local d = {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key", calls = calls},
}
for i = 1, 7 do
  calls[#calls + 1] = {to = "r" .. i, timeout = 0.5}
  d[#d + 1] = {name = "r" .. i, kind = "lb",
               calls = {{to = "shard" .. (2 + (i - 1) % 3), timeout = 0.5}}}
end
d[#d + 1] = {name = "shard1", kind = "db"}
d[#d + 1] = {name = "shard2", kind = "db"}
d[#d + 1] = {name = "shard3", kind = "db"}
d[#d + 1] = {name = "shard4", kind = "db"}
return d
