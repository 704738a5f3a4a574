-- The claims lessons/09-architecture/08-scheduling.md makes about its own
-- examples (lab.sched): each is checked against the example's output, so
-- prose and scheduler cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local L = lesson("lessons/09-architecture/08-scheduling.md")

test("figures/architecture/scheduling/overcommit", function()
  local out = L:run(1)
  L:says("4 cores requested of 4")
  L:says("limits on `n1` add up to 5 cores of 4")
  eq(out, "n1\nn1\nn1\n4000\t5000")          -- all three placed
end)

test("figures/architecture/scheduling/pending", function()
  local out = L:run(2)
  local msg = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) " ..
              "didn't match Pod's node affinity/selector."
  L:says(msg)
  assert(out:find("nil\t" .. msg, 1, true), out)
  L:says("The second has no selector and lands on `n3`")
  assert(out:find("\nn3\n", 1, true), out)
end)

test("figures/architecture/scheduling/stranded", function()
  L:run(3)
  local out = L:run(4)
  L:says("3 cores are free, yet not one 2-core pod fits: all 3000 millicores are stranded")
  eq(out, "3000\t1500\t0\t3000")
end)

test("figures/architecture/scheduling/spread", function()
  L:run(5)
  local out = L:run(6)
  L:says("MostAllocated keeps choosing the node it has already started to fill")
  assert(out:find("spread weight\t0\treplicas per node\t0 0 0 6", 1, true), out)
  assert(out:find("spread weight\t2\treplicas per node\t2 2 1 1", 1, true), out)
end)

test("figures/architecture/scheduling/cronjob", function()
  local out = L:run(7)
  L:says("It missed 02:00, 03:00 and 04:00; when it is back it starts the 04:00 run, 10 minutes late, and skips the other two.")
  assert(out:find("2026-01-05 02:00:00\tskipped\tdown", 1, true), out)
  assert(out:find("2026-01-05 03:00:00\tskipped\tdown", 1, true), out)
  assert(out:find("2026-01-05 04:00:00\tlate\t2026-01-05 04:10:00", 1, true), out)
end)
