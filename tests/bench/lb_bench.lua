-- lab.lb against pure-Lua versions: the simulator (the figure to read) and
-- single picks of the interactive balancer.

-- A straightforward discrete-event simulation in pure Lua of the workload
-- below: Poisson arrivals, p2c over backends with CAP servers and an
-- unlimited FIFO queue each, exponential service; latency mean and p99.
local function lua_sim(n, rate, means, cap)
  local heap, hn = {}, 0 -- completion events {t, backend, arrival}
  local function push(e)
    hn = hn + 1
    local i = hn
    while i > 1 do
      local p = i // 2
      if heap[p][1] <= e[1] then break end
      heap[i] = heap[p]; i = p
    end
    heap[i] = e
  end
  local function pop()
    local top, last = heap[1], heap[hn]
    heap[hn] = nil; hn = hn - 1
    local i = 1
    while true do
      local l = 2 * i
      if l > hn then break end
      if l < hn and heap[l + 1][1] < heap[l][1] then l = l + 1 end
      if heap[l][1] >= last[1] then break end
      heap[i] = heap[l]; i = l
    end
    if hn > 0 then heap[i] = last end
    return top
  end
  local nb = #means
  local active, out, queue, qh = {}, {}, {}, {}
  for i = 1, nb do active[i], out[i], queue[i], qh[i] = 0, 0, {}, 1 end
  local rnd = math.random
  local function exp(mean) return -math.log(1 - rnd()) * mean end
  local lat, nl = {}, 0
  local t, arrived = exp(1 / rate), 0
  while arrived < n or hn > 0 do
    if arrived < n and (hn == 0 or t <= heap[1][1]) then
      arrived = arrived + 1
      local a, b = rnd(nb), rnd(nb - 1)
      if b >= a then b = b + 1 end
      local i = out[b] < out[a] and b or a
      out[i] = out[i] + 1
      if active[i] < cap then
        active[i] = active[i] + 1
        push({t + exp(means[i]), i, t})
      else
        local q = queue[i]; q[#q + 1] = t
      end
      t = t + exp(1 / rate)
    else
      local e = pop()
      local i = e[2]
      nl = nl + 1; lat[nl] = e[1] - e[3]
      out[i] = out[i] - 1
      local q = queue[i]
      if qh[i] <= #q then
        push({e[1] + exp(means[i]), i, q[qh[i]]})
        q[qh[i]] = nil; qh[i] = qh[i] + 1
      else
        active[i] = active[i] - 1
      end
    end
  end
  local sum = 0
  for k = 1, nl do sum = sum + lat[k] end
  table.sort(lat)
  return sum / nl, lat[math.ceil(0.99 * nl)]
end

local N = 200000
local backends = {}
for i = 1, 4 do backends[i] = {capacity = 16, service = {dist = "exp", mean = 0.010}} end
local opts = {strategy = "p2c", rate = 4000, requests = N, seed = 1, backends = backends, series = false}

-- same model, same figures within noise, before timing them
local r = lab.lb.simulate(opts)
math.randomseed(1)
local mean = lua_sim(N, 4000, {0.010, 0.010, 0.010, 0.010}, 16)
assert(math.abs(mean - r.latency.mean) / r.latency.mean < 0.1, mean .. " vs " .. r.latency.mean)

print("lab.lb")
compare("simulate, p2c, 4 backends (requests)", N, function()
  lab.lb.simulate(opts)
end, function()
  lua_sim(N, 4000, {0.010, 0.010, 0.010, 0.010}, 16)
end)
local big = {strategy = "p2c", rate = 4000, requests = 1000000, seed = 1, backends = backends,
  events = {{at = 50, backend = 3, down = true}, {at = 70, backend = 3, down = false}},
  health = {interval = 1}}
report("simulate 10^6 requests, health checks", 1e6 / median_time(3, function()
  lab.lb.simulate(big)
end), "requests/s")

-- one pick + done per request, smooth weighted round robin, weights 5,1,1
local M = 1000000
compare("swrr pick + done, one call each", M, function()
  local b = lab.lb.new{strategy = "swrr", backends = {{"a", 5}, "b", "c"}}
  for _ = 1, M do b:done((b:pick())) end
end, function()
  local w, cw, out = {5, 1, 1}, {0, 0, 0}, {0, 0, 0}
  local function pick()
    local best, total = nil, 0
    for i = 1, 3 do
      cw[i] = cw[i] + w[i]; total = total + w[i]
      if best == nil or cw[i] > cw[best] then best = i end
    end
    cw[best] = cw[best] - total
    out[best] = out[best] + 1
    return best
  end
  local function done(i) out[i] = out[i] - 1 end
  for _ = 1, M do done(pick()) end
end)
