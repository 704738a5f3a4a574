-- lab.feed: simulated events (posts + timeline reads) a second, per strategy,
-- on the default graph (10,000 accounts, 1,000 readers) with two celebrities.
-- A rule costs one Lua call per post: measured beside the built-in hybrid.
local D = 100
local function opts(extra)
  local o = {duration = D, posts = 1000, reads = 10000, celebrities = 2, celebrity_posts = 0.1}
  for k, v in pairs(extra) do o[k] = v end
  return o
end
local events = lab.feed.run(opts{strategy = "write"})
events = events.posts + events.reads
print(("lab.feed (%d posts + reads in %d simulated s)"):format(events, D))
for _, s in ipairs{"write", "read", "hybrid"} do
  local t = median_time(3, function() lab.feed.run(opts{strategy = s, threshold = 1e5}) end)
  report("feed.run strategy = " .. s, events / t, "events/s")
end
local t = median_time(3, function()
  lab.feed.run(opts{rule = function(p) return p.followers >= 1e5 and "read" or "write" end})
end)
report("feed.run with a Lua rule", events / t, "events/s")
