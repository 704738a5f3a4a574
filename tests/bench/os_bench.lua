-- tests/bench/os_bench.lua — lab.os.paging: references simulated per second
-- for each policy (an 80-20 workload of 200k references over 1000 pages,
-- 100 frames), and the Belady search's strings tried per second.

print("lab.os (median of 3)")
local w = lab.os.workload{kind = "80-20", n = 200000, pages = 1000, seed = 1}
for _, p in ipairs{"fifo", "lru", "opt", "clock", "second", "random"} do
  local t = median_time(3, function() lab.os.paging{refs = w, frames = 100, policy = p} end)
  report("paging " .. p .. ", 100 frames", #w / t, "refs/s")
end
local t = median_time(3, function() lab.os.paging{refs = w, policy = "ws", window = 500} end)
report("paging ws, window 500", #w / t, "refs/s")
t = median_time(3, function() lab.os.belady{policy = "lru", tries = 20000, length = 20} end)
report("belady search (lru: finds none)", 20000 / t, "strings/s")
