-- Lua tests of lab.feed (engine/concepts/feed/feed_lua.c): hand-worked cases,
-- and a plain-Lua model of the fan-out queue compared on small graphs.

local F = lab.feed

-- A run with only the posts given: no random posts, no reads unless asked.
local function fixed(t)
  local o = {posts = 0, celebrity_posts = 0, reads = 0, follows = 1, readers = 10,
             workers = 1, duration = 10}
  for k, v in pairs(t) do o[k] = v end
  return F.run(o)
end

test("feed/one_post_by_hand", function()
  -- 1,000 followers, the pool writes 100 a second: follower j at j/100 s.
  local r = fixed{accounts = {1000}, users = 1000, worker_rate = 100,
                  posts_at = {{at = 0, author = 1}}}
  eq(r.posts, 1); eq(r.pushed, 1); eq(r.pulled, 0)
  near(r.lag_p50, 5.0, 1e-9)      -- the 500th
  near(r.lag_p99, 9.9, 1e-9)      -- the 990th
  near(r.lag_max, 10.0, 1e-9)
  near(r.lag_mean, 5.005, 1e-9)   -- (1 + 1000) / 2 / 100
  eq(r.writes, 1000); eq(r.storage, 1000)
  near(r.write_rate, 100, 1e-9)   -- 1000 writes over the 10 s run
  eq(r.backlog, 0); eq(r.deliveries, 1000)
end)

test("feed/queue_by_hand", function()
  -- Two posts: 1,000 followers at 0, 500 at 1 s; W = 100. The second waits
  -- until 10 s: its lags are 9 + j/100, j = 1..500; the run ends at 5 s, so
  -- at the end 10 s of work remain (done at 15 s).
  local r = fixed{accounts = {1000, 500}, users = 1000, worker_rate = 100, duration = 5,
                  posts_at = {{at = 0, author = 1}, {at = 1, author = 2}}}
  near(r.lag_max, 14, 1e-9)
  near(r.backlog, 10, 1e-9)
  -- 1,500 deliveries; rank 750 of the merged lags: 0.01..10 (1000) and
  -- 9.01..14 (500). Below 9: 900 of the first; so rank 750 is 7.5.
  near(r.lag_p50, 7.5, 1e-9)
  -- rank 1485: from 10 up only the second post's remain: count(x) for
  -- x >= 10 is 1000 + (x - 9) * 100 => 1485 at x = 13.85.
  near(r.lag_p99, 13.85, 1e-9)
  -- Two workers halve every lag (the pool writes 200 a second).
  local r2 = fixed{accounts = {1000, 500}, users = 1000, worker_rate = 100, workers = 2,
                   duration = 5, posts_at = {{at = 0, author = 1}, {at = 1, author = 2}}}
  near(r2.lag_max, 6.5, 1e-9)   -- the second post runs from 5 to 7.5, posted at 1
  near(r2.backlog, 2.5, 1e-9)
end)

test("feed/pulled_posts_have_no_lag", function()
  local base = {accounts = {1000, 100}, users = 1000, worker_rate = 100,
                posts_at = {{at = 0, author = 1}, {at = 0, author = 2}}}
  base.strategy = "hybrid"; base.threshold = 500
  local r = fixed(base)
  eq(r.pushed, 1); eq(r.pulled, 1); eq(r.writes, 100)
  -- 1,100 deliveries: 1,000 at 0 and 100 at 0.01..1.
  eq(r.lag_p50, 0)
  near(r.lag_p99, 0.89, 1e-9)   -- rank 1089: the 89th of the pushed post
  base.strategy = "read"
  local rr = fixed(base)
  eq(rr.writes, 0); eq(rr.lag_p99, 0); eq(rr.lag_max, 0); eq(rr.pulled, 2)
end)

test("feed/reads_by_hand", function()
  -- follows = 2 of 2,000 followers in all: each account of 1,000 is
  -- followed with probability 1, the account of 0 by nobody.
  local o = {accounts = {1000, 1000, 0}, reads = 50, readers = 20,
             read_base = 0.002, pull_cost = 0.001, posts = 0, celebrity_posts = 0,
             follows = 2, duration = 10}
  o.strategy = "write"
  local w = F.run(o)
  truthy(w.reads > 300, w.reads)
  near(w.read_p99, 0.002, 1e-12); near(w.read_max, 0.002, 1e-12); eq(w.pulls_mean, 0)
  o.strategy = "read"
  local r = F.run(o)
  eq(r.reads, w.reads)                       -- the same reads whatever the strategy
  near(r.read_p50, 0.004, 1e-12); near(r.read_max, 0.004, 1e-12); eq(r.pulls_mean, 2)
  near(r.follows_mean, 2, 1e-12)
  o.strategy = "hybrid"; o.threshold = 1000
  local h = F.run(o)
  near(h.read_max, 0.004, 1e-12)             -- both accounts are at the threshold
  o.threshold = 1001
  near(F.run(o).read_max, 0.002, 1e-12)
end)

test("feed/rule_sees_posts_in_order", function()
  local seen = {}
  local r = fixed{accounts = {1000, 500}, users = 1000, worker_rate = 100, duration = 5,
                  posts_at = {{at = 1, author = 2}, {at = 0, author = 1}},
                  rule = function(p) seen[#seen + 1] = p; return "write" end}
  eq(#seen, 2)
  eq(seen[1].at, 0); eq(seen[1].followers, 1000); eq(seen[1].backlog, 0); eq(seen[1].pool, 100)
  eq(seen[2].at, 1); eq(seen[2].followers, 500)
  near(seen[2].backlog, 9, 1e-9)             -- the first post's fan-out runs until 10
  eq(seen[1].author, nil)                    -- the rule decides from the post, not an id
  eq(r.strategy, "rule")
  near(r.lag_p99, 13.85, 1e-9)
end)

test("feed/rule_reads_flag_from_the_post_on", function()
  -- One account of 1000 (every reader follows it) posts at 5 s and the rule
  -- pulls it: reads before 5 s merge nothing, reads after merge it.
  local o = {accounts = {1000}, reads = 100, readers = 5, posts = 0,
             celebrity_posts = 0, follows = 1, duration = 10, pull_cost = 0.001,
             read_base = 0.002, posts_at = {{at = 5, author = 1}},
             rule = function() return "read" end}
  local r = F.run(o)
  truthy(r.pulls_mean > 0.3 and r.pulls_mean < 0.7, r.pulls_mean)
  truthy(math.abs(r.read_p50 - 0.002) < 1e-12 or math.abs(r.read_p50 - 0.003) < 1e-12)
  near(r.read_max, 0.003, 1e-12)
  eq(r.lag_max, 0)
end)

test("feed/rule_errors", function()
  local o = {accounts = {10}, posts = 0, reads = 0, posts_at = {{at = 0, author = 1}}}
  o.rule = function() return "push" end
  raises(function() F.run(o) end, "the rule must return \"write\" or \"read\", not push")
  o.rule = function() return nil end
  raises(function() F.run(o) end, "not nil")
  o.rule = function() error("boom") end
  raises(function() F.run(o) end, "boom")
  o.rule = function() return "read" end
  o.strategy = "write"
  raises(function() F.run(o) end, "a strategy or a rule, not both")
end)

test("feed/option_errors", function()
  raises(function() F.run{strategy = "push"} end, "must be one of: write read hybrid")
  raises(function() F.run{alpha = 1} end, "alpha")
  raises(function() F.run{celebrities = 1, celebrity_followers = 2e7} end, "celebrity_followers <= users")
  raises(function() F.run{posts = 0, posts_at = {{at = 0, author = 99999999}}} end, "author")
  raises(function() F.run{accounts = {5, 2e7}, users = 1e6} end, "between 0 and users")
  raises(function() F.run{posts = 1e6, duration = 100} end, "at most 1e7")
  raises(function() F.run{workers = 0} end, "workers")
  raises(function() F.run{colour = 1} end, "unknown option 'colour'")
end)

test("feed/deterministic", function()
  local o = {celebrities = 1, duration = 5, seed = 7}
  same(F.run(o), F.run(o))
  o.seed = 8
  local a, b = F.run{celebrities = 1, duration = 5, seed = 7}, F.run(o)
  truthy(a.posts ~= b.posts or a.lag_p99 ~= b.lag_p99, "another seed, another run")
  -- the graph, the posts and the reads do not depend on the strategy
  local w = F.run{duration = 5, strategy = "write"}
  local r = F.run{duration = 5, strategy = "read"}
  eq(w.posts, r.posts); eq(w.reads, r.reads); eq(w.deliveries, r.deliveries)
  eq(w.follows_mean, r.follows_mean)
end)

test("feed/graph", function()
  -- a reader follows about `follows` ordinary accounts, plus each celebrity
  -- with probability f / users
  local r = F.run{duration = 1, follows = 50, readers = 2000, celebrities = 0}
  near(r.follows_mean, 50, 2)
  local c = F.run{duration = 1, follows = 50, readers = 2000, celebrities = 10,
                  celebrity_followers = 3e6, users = 1e7}
  near(c.follows_mean - r.follows_mean, 3, 0.3)
  -- hybrid with every celebrity pulled: each read merges about 3
  local h = F.run{duration = 5, follows = 50, readers = 2000, celebrities = 10,
                  celebrity_followers = 3e6, users = 1e7, strategy = "hybrid", threshold = 3e6}
  near(h.pulls_mean, 3, 0.3)
end)

test("feed/celebrity_fanout_floods_the_queue", function()
  local o = {celebrities = 2, celebrity_followers = 2e6, duration = 30, seed = 3,
             posts_at = {{at = 1, author = 10001}}}
  o.strategy = "write"
  local w = F.run(o)
  o.strategy = "hybrid"; o.threshold = 1e5
  local h = F.run(o)
  o.strategy = "read"
  local r = F.run(o)
  truthy(w.lag_p99 > 10 * h.lag_p99 + 1, ("write %g hybrid %g"):format(w.lag_p99, h.lag_p99))
  truthy(r.read_p99 > 5 * h.read_p99, ("read %g hybrid %g"):format(r.read_p99, h.read_p99))
  truthy(w.write_rate > h.write_rate and h.write_rate > r.write_rate)
  eq(r.write_rate, 0)
  -- more workers never make the delivery lag worse
  o.strategy = "write"; o.workers = 40
  truthy(F.run(o).lag_p99 <= w.lag_p99)
end)

-- A plain-Lua model of the fan-out queue: every delivery listed, sorted,
-- nearest rank. Compared with lab on small random cases.
local function model(accounts, posts, W, pullf)
  local list, lags, free = {}, {}, 0
  for i, p in ipairs(posts) do list[i] = {at = p.at, author = p.author, seq = i} end
  table.sort(list, function(a, b) if a.at ~= b.at then return a.at < b.at end return a.seq < b.seq end)
  for _, p in ipairs(list) do
    local f = accounts[p.author]
    if pullf(f) then
      for _ = 1, f do lags[#lags + 1] = 0 end
    else
      local s = math.max(free, p.at)
      for j = 1, f do lags[#lags + 1] = s + j / W - p.at end
      free = s + f / W
    end
  end
  table.sort(lags)
  local function rank(q) return lags[math.max(1, math.ceil(q * #lags))] end
  return {p50 = rank(0.5), p99 = rank(0.99), max = lags[#lags] or 0, n = #lags}
end

test("feed/matches_a_plain_lua_model", function()
  local rng = lab.rand.new(11)
  for case = 1, 40 do
    local n = rng:int(1, 6)
    local accounts, posts = {}, {}
    for i = 1, n do accounts[i] = rng:int(0, 300) end
    for i = 1, rng:int(1, 12) do
      posts[i] = {at = rng:int(0, 40) / 4, author = rng:int(1, n)}
    end
    local W = rng:int(1, 4) * 50
    local th = rng:int(0, 300)
    local pullf = case % 3 == 0 and function() return false end
      or function(f) return f >= th end
    local m = model(accounts, posts, W, pullf)
    local o = {accounts = accounts, users = 1000, worker_rate = W / 2, workers = 2,
               posts_at = posts, duration = 10}
    if case % 3 == 0 then o.strategy = "write"
    elseif case % 3 == 1 then o.strategy = "hybrid"; o.threshold = th
    else o.rule = function(p) return p.followers >= th and "read" or "write" end end
    local r = fixed(o)
    eq(r.deliveries, m.n, "case " .. case)
    if m.n > 0 then
      near(r.lag_p50, m.p50, 1e-9, "p50 case " .. case)
      near(r.lag_p99, m.p99, 1e-9, "p99 case " .. case)
      near(r.lag_max, m.max, 1e-9, "max case " .. case)
    end
  end
end)
