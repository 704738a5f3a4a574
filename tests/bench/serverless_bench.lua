-- lab.serverless.simulate against the same rules in pure Lua (a heap of
-- busy environments, a list of idle ones reused last-freed-first), on the
-- same 10^6 given arrivals: simulated requests a second of CPU.
local N = 1000000
local g, t, arr = lab.rand.new(1), 0, {}
for i = 1, N do
  t = t + g:exponential(200)
  arr[i] = t
end

local function lua_model(a, work, cold, idle_timeout)
  local heap, nh = {}, 0
  local idle, head, tail = {}, 1, 0
  local cold_starts = 0
  local function push(e)
    nh = nh + 1
    local i = nh
    while i > 1 do
      local p = i // 2
      if heap[p] <= e then break end
      heap[i] = heap[p]; i = p
    end
    heap[i] = e
  end
  local function pop()
    local top, last = heap[1], heap[nh]
    nh = nh - 1
    local i = 1
    while true do
      local l = 2 * i
      if l > nh then break end
      if l < nh and heap[l + 1] < heap[l] then l = l + 1 end
      if heap[l] >= last then break end
      heap[i] = heap[l]; i = l
    end
    if nh > 0 then heap[i] = last end
    return top
  end
  for i = 1, #a do
    local now = a[i]
    while nh > 0 and heap[1] <= now do tail = tail + 1; idle[tail] = pop() end
    while head <= tail and idle[head] + idle_timeout <= now do head = head + 1 end
    if head <= tail then
      tail = tail - 1
      push(now + work)
    else
      cold_starts = cold_starts + 1
      push(now + cold + work)
    end
  end
  return cold_starts
end

compare("serverless simulate, 10^6 given arrivals", N,
  function() lab.serverless.simulate{arrivals = arr, work = 0.2, cold_start = 0.8,
                                     idle_timeout = 5} end,
  function() lua_model(arr, 0.2, 0.8, 5) end)
local s = median_time(3, function()
  lab.serverless.simulate{rate = 2000, seconds = 500, work = 0.2, work_times = "exponential",
                          idle_timeout = 60, seed = 1}
end)
report("serverless simulate, Poisson 2000/s x 500 s", 1e6 / s, "requests/s")
