-- The check of caching/build-lru/lru (lessons/05-caching/04-build-lru.md), for
-- the corpus files that cheat on its cost test ("-- check: lru_check.lua").
expect(submission, "your file's return value"):is_type("table")
expect(submission.new, "`new`"):is_type("function")

differential{
  cases = 150,
  steps = 30,
  setup = function(r) return r:int(1, 5) end,
  subject = submission.new,
  reference = function(cap)
    return lab.cache.new{capacity = cap, policy = "lru"}
  end,
  ops = {
    {"put", function(r) return r:int(1, 8), r:int(1, 99) end, 3},
    {"get", function(r) return r:int(1, 8) end, 2},
  },
}

-- Correct. Now: does it stay fast when it is big? Count the Lua
-- instructions 10,000 operations take at capacity 30 and at 3000: a count,
-- unlike a time, is the same on every machine and under any load.
local function cost(cap)
  local c = submission.new(cap)
  local r = rng.new(cap)
  local keys, gets = {}, {}
  for i = 1, 10000 do keys[i] = r:int(1, 2 * cap); gets[i] = r:bool() end
  return (instructions(function()
    for i = 1, 10000 do
      if gets[i] then c:get(keys[i]) else c:put(keys[i], i) end
    end
  end))
end
local small, big = cost(30), cost(3000)
if big > 4 * small then
  credit(1, 2)
  fail(("Your cache gives the right answers, but it slows down as it " ..
    "grows: 10,000 operations ran %d thousand Lua instructions at " ..
    "capacity 3000 and %d thousand at capacity 30. Some operation walks " ..
    "through the entries. Find nodes through a table and order them with " ..
    "a doubly linked list, so that `get` and `put` take constant time."):format(
    big // 1000, small // 1000))
end
