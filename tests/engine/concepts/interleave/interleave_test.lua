-- Lua tests of lab.interleave (engine/concepts/interleave/interleave_lua.c).
-- Counts here are worked by hand in the comments.

local X = lab.interleave
local incr = {{"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}}

local function by_x(r)
  local t = {}
  for _, o in ipairs(r.outcomes) do t[o.kind .. ":" .. tostring(o.vars.x)] = o.schedules end
  return t
end

test("interleave/lost_update", function()
  -- C(6,3) = 20 schedules; x = 2 only when one thread runs wholly before
  -- the other (2 schedules); the other 18 lose an update.
  local r = X.explore{vars = {x = 0}, threads = {incr, incr},
                      expect = function(v) return v.x == 2 end}
  eq(r.schedules, 20); eq(r.bad, 18); eq(r.ok, false); eq(r.exhaustive, true)
  same(by_x(r), {["done:2"] = 2, ["done:1"] = 18})
  -- first bad schedule, thread 1 preferred: T1 reads and adds, T2 reads
  same(r.first_bad.schedule, {1, 1, 2, 1, 2, 2})
  eq(r.first_bad.vars.x, 1)
  eq(r.first_bad.trace[3].text, "read x -> r = 0")
  truthy(r.first_bad.drawing:find("T1") and r.first_bad.drawing:find("T2"))
end)

test("interleave/three_threads", function()
  -- 9!/(3!3!3!) = 1680 schedules; final x ranges over 1..3
  local r = X.explore{vars = {x = 0}, threads = {incr, incr, incr}}
  eq(r.schedules, 1680); eq(r.ok, true)   -- no expect: every done end is ok
  local xs = {}
  for _, o in ipairs(r.outcomes) do xs[o.vars.x] = (xs[o.vars.x] or 0) + o.schedules end
  eq(xs[3], 6)            -- the 3! serial orders
  eq(xs[1] + xs[2] + xs[3], 1680)
end)

test("interleave/mutex_counter", function()
  -- with the lock, whoever locks first runs its 4 other steps alone: 2 schedules
  local t = {{"lock", "m"}, {"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}, {"unlock", "m"}}
  local r = X.explore{vars = {x = 5}, threads = {t, t}, expect = function(v) return v.x == 7 end}
  eq(r.schedules, 2); eq(r.ok, true); eq(r.bad, 0); eq(r.first_bad, nil)
end)

test("interleave/atomic_add_and_cas", function()
  local aa = {{"atomic_add", "x", 1}}
  local r = X.explore{vars = {x = 0}, threads = {aa, aa, aa}, expect = function(v) return v.x == 3 end}
  eq(r.schedules, 6); eq(r.ok, true)
  local cas = {{"read", "x", "old", label = "retry"}, {"set", "new", "old"}, {"add", "new", 1},
               {"cas", "x", "old", "new", "ok"}, {"jz", "ok", "retry"}}
  r = X.explore{vars = {x = 0}, threads = {cas, cas}, expect = function(v) return v.x == 2 end}
  eq(r.ok, true); truthy(r.schedules > 20)   -- retries add schedules
  for _, o in ipairs(r.outcomes) do eq(o.kind, "done") end
  -- without the retry jump, a failed CAS loses the update
  local once = {cas[1], cas[2], cas[3], cas[4]}
  r = X.explore{vars = {x = 0}, threads = {once, once}, expect = function(v) return v.x == 2 end}
  eq(r.ok, false); eq(r.first_bad.vars.x, 1)
end)

test("interleave/deadlock", function()
  -- T1 locks a then b, T2 b then a. Hand count: T1 first: T2 locks b next
  -- (deadlock) or T1 locks b, unlocks b, then 2 ways to finish; the same
  -- from T2 first: 2 deadlocks + 4 done = 6 schedules.
  local t1 = {{"lock", "a"}, {"lock", "b"}, {"unlock", "b"}, {"unlock", "a"}}
  local t2 = {{"lock", "b"}, {"lock", "a"}, {"unlock", "a"}, {"unlock", "b"}}
  local r = X.explore{threads = {t1, t2}}
  eq(r.schedules, 6); eq(r.bad, 2)
  same(r.first_bad.schedule, {1, 2}); eq(r.first_bad.kind, "deadlock")
  -- the same order in both: never deadlocks
  r = X.explore{threads = {t1, t1}}
  eq(r.ok, true); eq(r.schedules, 2)
end)

test("interleave/semaphore", function()
  -- the consumer waits for the producer's signal: one schedule, y = 42
  local prod = {{"write", "x", 42}, {"signal", "s"}}
  local cons = {{"wait", "s"}, {"read", "x", "r"}, {"write", "y", "r"}}
  local r = X.explore{vars = {x = 0, y = 0}, sems = {s = 0}, threads = {prod, cons}}
  eq(r.schedules, 1); eq(r.outcomes[1].vars.y, 42)
  -- without the semaphore the consumer may read 0: C(3,1) = 3 schedules,
  -- and only the one where T1's write comes first gives 42
  local cons2 = {cons[2], cons[3]}
  r = X.explore{vars = {x = 0, y = 0}, threads = {{prod[1]}, cons2},
                expect = function(v) return v.y == 42 end}
  eq(r.schedules, 3); eq(r.bad, 2)
end)

test("interleave/runaway_and_fault", function()
  local r = X.explore{threads = {{{"jmp", 1}}}, max_steps = 5}
  eq(r.outcomes[1].kind, "runaway"); eq(r.ok, false)
  r = X.explore{threads = {{{"unlock", "m"}}}}
  eq(r.outcomes[1].kind, "fault"); eq(r.first_bad.kind, "fault")
  -- a spin on a flag that the other thread sets: some schedules spin past the bound
  local spin = {{"read", "f", "v"}, {"jz", "v", 1}}
  r = X.explore{vars = {f = 0}, threads = {spin, {{"write", "f", 1}}}, max_steps = 6}
  local kinds = {}
  for _, o in ipairs(r.outcomes) do kinds[o.kind] = true end
  truthy(kinds.done and kinds.runaway)
end)

test("interleave/run_one_schedule", function()
  local r = X.run{vars = {x = 0}, threads = {incr, incr}, schedule = {1, 2, 1, 2, 1, 2}}
  eq(r.kind, "done"); eq(r.vars.x, 1); eq(#r.trace, 6)
  eq(r.trace[2].thread, 2); eq(r.trace[2].step, 1)
  r = X.run{vars = {x = 0}, threads = {incr, incr}, schedule = {1, 1, 1, 2, 2, 2}}
  eq(r.vars.x, 2)
  r = X.run{vars = {x = 0}, threads = {incr, incr}, schedule = {1}}
  eq(r.kind, "running")
  raises(function() X.run{vars = {x = 0}, threads = {incr}, schedule = {1, 1, 1, 1}} end, "cannot run")
  raises(function() X.run{vars = {x = 0}, threads = {incr}, schedule = {3}} end, "no thread 3")
end)

test("interleave/sample_mode", function()
  local big = {}
  for i = 1, 8 do big[i] = incr[(i - 1) % 3 + 1] end
  local opts = {vars = {x = 0}, threads = {big, big, big}, max_states = 50, samples = 200, seed = 3,
                expect = function(v) return v.x >= 0 end}
  local a, b = X.explore(opts), X.explore(opts)
  eq(a.exhaustive, false); eq(a.exact, false); eq(a.schedules, 200); eq(a.states, nil)
  eq(#a.outcomes, #b.outcomes)
  for i, o in ipairs(a.outcomes) do eq(o.schedules, b.outcomes[i].schedules); eq(o.vars.x, b.outcomes[i].vars.x) end
end)

test("interleave/bad_input", function()
  raises(function() X.explore{threads = {{{"read", "y", "r"}}}} end, "unknown shared variable")
  raises(function() X.explore{vars = {x = 0}, threads = {{{"read", "x", "x"}}}} end, "not a register")
  raises(function() X.explore{threads = {{{"fly", "x"}}}} end, "must be one of")
  raises(function() X.explore{threads = {{{"jz", "r", "nowhere"}}}} end, "no step has the label")
  raises(function() X.explore{threads = {{{"jmp", 9}}}} end, "out of range")
  raises(function() X.explore{threads = {{{"lock"}}}} end, "takes 1 operand")
  raises(function() X.explore{threads = {{{"wait", "s"}}}} end, "unknown semaphore")
  raises(function() X.explore{threads = {{{"lock", "m", lable = "x"}}}} end, "unknown key")
  raises(function() X.explore{threads = {}} end, "1 to 16")
  raises(function() X.explore{threads = {{"read"}}} end, "must be a table")
  raises(function() X.explore{vars = {x = 1.5}, threads = {{}}} end, "integer")
  raises(function() X.explore{threads = {{}}, sems = {s = -1}} end, "negative")
end)
