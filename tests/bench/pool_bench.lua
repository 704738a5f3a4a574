-- lab.pool.simulate against the same model written in pure Lua: Poisson
-- arrivals, a pool of `size` connections with a FIFO wait queue (no timeout),
-- and a processor-sharing database with contention, in virtual work time.
local RATE, DURATION, SIZE = 600, 300, 8
local CORES, SERVICE, K = 4, 0.005, 0.05

local function speed(a)
  if a <= CORES then return 1 end
  return (CORES / a) / (1 + K * (a - CORES))
end

-- A binary min-heap of jobs {finish, arrival}.
local function push(h, job)
  local i = #h + 1
  h[i] = job
  while i > 1 do
    local p = i // 2
    if h[p][1] <= job[1] then break end
    h[i], h[p] = h[p], job
    i = p
  end
end

local function pop(h)
  local top, last = h[1], h[#h]
  h[#h] = nil
  local n, i = #h, 1
  if n > 0 then
    while true do
      local l, m = 2 * i, i
      local best = last[1]
      if l <= n and h[l][1] < best then m, best = l, h[l][1] end
      if l + 1 <= n and h[l + 1][1] < best then m = l + 1 end
      if m == i then break end
      h[i] = h[m]
      i = m
    end
    h[i] = last
  end
  return top
end

local function lua_pool()
  math.randomseed(1)
  local random, log = math.random, math.log
  local now, V, idle = 0, 0, SIZE
  local jobs, wq, wh, wt = {}, {}, 1, 0
  local next_arrival = -log(1 - random()) / RATE
  local latencies, served = {}, 0
  while true do
    local t_db = math.huge
    if #jobs > 0 then t_db = now + math.max(0, jobs[1][1] - V) / speed(#jobs) end
    local t = next_arrival < t_db and next_arrival or t_db
    if t == math.huge then break end
    if #jobs > 0 then V = V + speed(#jobs) * (t - now) end
    now = t
    if t_db <= next_arrival then          -- a query finishes
      local j = pop(jobs)
      served = served + 1
      latencies[served] = now - j[2]
      if wh <= wt then                      -- hand the connection over
        local arrival = wq[wh]; wq[wh] = nil; wh = wh + 1
        push(jobs, {V - log(1 - random()) * SERVICE, arrival})
      else
        idle = idle + 1
      end
    else                                    -- an arrival
      next_arrival = now - log(1 - random()) / RATE
      if next_arrival >= DURATION then next_arrival = math.huge end
      if idle > 0 then
        idle = idle - 1
        push(jobs, {V - log(1 - random()) * SERVICE, now})
      else
        wt = wt + 1; wq[wt] = now
      end
    end
  end
  table.sort(latencies)
  return latencies[math.ceil(0.99 * served)]
end

local n = lab.pool.simulate{rate = RATE, size = SIZE, duration = DURATION, cores = CORES,
                            service = SERVICE, contention = K, timeout = math.huge}.requests
print("lab.pool (open, " .. RATE .. "/s for " .. DURATION .. " s, pool of " .. SIZE .. ")")
compare("simulate, requests", n, function()
  lab.pool.simulate{rate = RATE, size = SIZE, duration = DURATION, cores = CORES,
                    service = SERVICE, contention = K, timeout = math.huge}
end, lua_pool)
print("  pure-Lua p99 " .. string.format("%.4f", lua_pool()) .. " s, lab p99 " ..
  string.format("%.4f", lab.pool.simulate{rate = RATE, size = SIZE, duration = DURATION,
    cores = CORES, service = SERVICE, contention = K, timeout = math.huge}.p99) ..
  " s (different random streams, same model)")
