-- tests/bench/interleave_bench.lua — lab.interleave: states explored per
-- second, and the schedules those states stand for (counted, not run), and
-- a seeded sample's schedules run per second.

print("lab.interleave (median of 3)")
local incr = {{"lock", "m"}, {"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}, {"unlock", "m"}}
local racy = {}
for i = 1, 12 do racy[i] = ({{"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}})[(i - 1) % 3 + 1] end
local function case(name, opts)
  local r
  local t = median_time(3, function() r = lab.interleave.explore(opts) end)
  if r.exhaustive then report(name .. ": states explored", r.states / t, "/s") end
  report(name .. ": schedules " .. (r.exhaustive and "counted" or "sampled"), r.schedules / t, "/s")
end
case("2 threads x 12 racy steps", {vars = {x = 0}, threads = {racy, racy}})
case("4 threads x mutex counter", {vars = {x = 0}, threads = {incr, incr, incr, incr}})
case("sample of 20000", {vars = {x = 0}, threads = {racy, racy, racy, racy}, max_states = 10,
  samples = 20000, seed = 1})
