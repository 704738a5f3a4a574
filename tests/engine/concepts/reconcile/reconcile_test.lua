-- Lua tests of lab.reconcile: the page's example, plans by hand (create,
-- update, replace, delete and their order), idempotence over random
-- states, the loop's convergence, drift and failures, values and errors.

local want = {
  {id = "net", type = "vpc", attrs = {cidr = "10.0.0.0/16"}},
  {id = "db", type = "postgres", attrs = {size = "small", engine = "15"},
   depends_on = {"net"}, force_new = {"engine"}},
  {id = "app", type = "service", attrs = {replicas = 3}, depends_on = {"db"}},
}

local function ops(plan)
  local t = {}
  for _, a in ipairs(plan) do
    t[#t + 1] = a.op .. " " .. a.id .. (#a.changes > 0 and "(" .. table.concat(a.changes, ",") .. ")" or "")
  end
  return table.concat(t, "; ")
end

test("reconcile/page_example", function()
  local have, plan = lab.reconcile.apply(want, {})
  eq(ops(plan), "create net; create db; create app")
  have[2].attrs.engine = "16"
  eq(ops(lab.reconcile.plan(want, have)), "replace db(engine)")
  eq(#lab.reconcile.plan(want, lab.reconcile.apply(want, have)), 0)
  eq(want[1].attrs.cidr, "10.0.0.0/16")          -- inputs are not changed
end)

test("reconcile/by_hand", function()
  local have = lab.reconcile.apply(want, {})
  have[2].attrs.size = "large"
  have[3].attrs.replicas = 5
  have[3].attrs.debug = true                     -- an attribute not declared
  have[#have + 1] = {id = "old", type = "bucket", depends_on = {"net"}}
  have[#have + 1] = {id = "cdn", type = "cdn", depends_on = {"old"}}
  eq(ops(lab.reconcile.plan(want, have)), "update db(size); update app(debug,replicas); delete cdn; delete old")
  local t = {}
  for i, r in ipairs(have) do t[i] = r end
  t[1] = {id = "net", type = "vpc2", attrs = {cidr = "10.0.0.0/16"}}
  eq(ops(lab.reconcile.plan(want, t)):match("^replace net%(type%)") ~= nil, true)
  -- dependency order, whatever the listed order
  local shuffled = {want[3], want[1], want[2]}
  eq(ops(lab.reconcile.plan(shuffled, {})), "create net; create db; create app")
  -- "1" and 1 differ; 1 and 1.0 do not
  local a = {{id = "x", attrs = {n = 1}}}
  eq(#lab.reconcile.plan(a, {{id = "x", attrs = {n = 1.0}}}), 0)
  eq(ops(lab.reconcile.plan(a, {{id = "x", attrs = {n = "1"}}})), "update x(n)")
  local got = lab.reconcile.apply({{id = "v", attrs = {i = 2, f = 1.5, b = false, s = "2"}}}, {})[1].attrs
  eq(got.i, 2); eq(math.type(got.i), "integer"); eq(got.f, 1.5); eq(got.b, false); eq(got.s, "2")
end)

local function random_state(rng, n, names)
  local s = {}
  for i = 1, n do
    local deps = {}
    for _ = 1, rng:int(0, math.min(2, i - 1)) do deps[#deps + 1] = names[rng:int(1, i - 1)] end
    local attrs = {}
    for _ = 1, rng:int(0, 3) do attrs[rng:pick{"a", "b", "c"}] = rng:pick{1, 2, "x", true} end
    s[i] = {id = names[i], type = rng:pick{"t1", "t2"}, attrs = attrs, depends_on = deps,
      force_new = rng:bool() and {"a"} or nil}
  end
  return s
end

test("reconcile/idempotent_and_ordered", function()
  local rng = lab.rand.new(7)
  local r = {int = function(_, a, b) return rng:int(a, b) end,
    pick = function(_, t) return t[rng:int(1, #t)] end,
    bool = function() return rng:int(0, 1) == 1 end}
  for _ = 1, 200 do
    local names = {}
    for i = 1, 8 do names[i] = "r" .. i end
    for i = 8, 2, -1 do local k = r:int(1, i); names[i], names[k] = names[k], names[i] end
    local d = random_state(r, r:int(0, 8), names)
    local a = random_state(r, r:int(0, 8), names)
    local after, plan = lab.reconcile.apply(d, a)
    eq(#lab.reconcile.plan(d, after), 0)
    -- order: a create/update/replace after every create/update/replace of
    -- its dependencies; a delete before deletes of what it depended on
    local pos = {}
    for i, x in ipairs(plan) do pos[x.op == "delete" and "-" .. x.id or x.id] = i end
    for _, res in ipairs(d) do
      for _, dep in ipairs(res.depends_on) do
        if pos[res.id] and pos[dep] then truthy(pos[dep] < pos[res.id]) end
      end
    end
    for _, res in ipairs(a) do
      for _, dep in ipairs(res.depends_on) do
        if pos["-" .. res.id] and pos["-" .. dep] then truthy(pos["-" .. res.id] < pos["-" .. dep]) end
      end
    end
  end
end)

test("reconcile/loop", function()
  local r = lab.reconcile.loop{desired = want, interval = 30, time = 300}
  eq(r.converged_at, 0); eq(r.applied, 3); eq(r.failed, 0); eq(r.out_of_sync, 0)
  eq(#r.ticks, 11)
  r = lab.reconcile.loop{desired = want, interval = 30, time = 300,
    drift = {{at = 100, id = "app", set = {replicas = 1}}, {at = 200, id = "db", delete = true}}}
  -- out of sync 100..120 and 200..210, then fixed at the next round
  eq(r.out_of_sync, 30); eq(r.applied, 3 + 1 + 1); eq(r.converged, true)
  eq(r.ticks[5].planned, 1); eq(r.ticks[8].planned, 1)
  local db
  for _, x in ipairs(r.actual) do if x.id == "db" then db = x end end
  eq(db.attrs.size, "small"); eq(r.actual[#r.actual].id, "db")   -- recreated: last
  -- failures: converges later, and the same seed replays
  local a = lab.reconcile.loop{desired = want, fail = 0.5, seed = 3, time = 600}
  local b = lab.reconcile.loop{desired = want, fail = 0.5, seed = 3, time = 600}
  eq(a.converged_at, b.converged_at); eq(a.failed, b.failed); eq(a.blocked, b.blocked)
  truthy(a.converged)
  local late, blocked = 0, 0
  for seed = 1, 50 do
    local x = lab.reconcile.loop{desired = want, fail = 0.5, seed = seed, time = 3000}
    if x.converged_at > 0 then late = late + 1 end
    blocked = blocked + x.blocked
    for _, k in ipairs(x.ticks) do eq(k.planned, k.applied + k.failed + k.blocked) end
  end
  truthy(late > 35, late)                      -- 3 actions at 0.5 each: 7/8 late
  truthy(blocked > 0)
end)

test("reconcile/errors", function()
  local function err(f, ...) local ok, e = pcall(f, ...); eq(ok, false); return e end
  truthy(err(lab.reconcile.plan, {{id = "a", depends_on = {"b"}}}, {})
    :find("'a' depends on 'b', which is not declared", 1, true))
  truthy(err(lab.reconcile.plan, {{id = "a", depends_on = "b"}, {id = "b", depends_on = "a"}}, {})
    :find("go round in a circle"))
  truthy(err(lab.reconcile.plan, {{id = "a"}, {id = "a"}}, {}):find("two resources have the id 'a'"))
  truthy(err(lab.reconcile.plan, {{id = "a", attrs = {x = {}}}}, {}):find("must be a string, a number or a boolean"))
  truthy(err(lab.reconcile.plan, {{type = "x"}}, {}):find("needs an id"))
  truthy(err(lab.reconcile.plan, "x", {}):find("must be a list of resources"))
  truthy(err(lab.reconcile.loop, {desired = want, drift = {{at = 5, id = "app"}}}):find("needs set"))
  truthy(err(lab.reconcile.loop, {desired = want, drift = {{at = 5, id = "app", delete = true},
    {at = 1, id = "db", delete = true}}}):find("time order"))
  truthy(err(lab.reconcile.loop, {desired = want, interval = 0}):find("interval"))
end)
