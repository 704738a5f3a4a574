-- The numbers and outcomes lessons/10-resilience/05-migrations.md quotes
-- from its blue/green runs (client.switches) and its expand/contract
-- harness on lab.sql, produced here by the lesson's own examples.
dofile("tests/lessons/figures.lua")

local P = "lessons/10-resilience/05-migrations.md"

test("figures/resilience/migrations-bluegreen", function()
  local L = lesson(P)
  local out = L:run(2)
  local blue, green, failed = out:match("blue (%d+) requests, green (%d+), green failed (%d+)")
  truthy(blue, out)
  L:says(("%s requests, of which %s failed"):format(
    green:sub(1, 1) .. " " .. green:sub(2), failed))
  local crashed = tonumber(L:run(3):match("stopped: (%d+)"))
  L:says(("(this run caught %d)"):format(crashed))
  -- the choice: rolling back to the stopped fleet fails everything
  local r = L.env.bluegreen({{at = 20, entry = "green"}, {at = 25, entry = "blue"}},
    {{service = "blue", at = 20, ["until"] = 45, mode = "down"}})
  for i = 27, 40 do
    eq(r.series.failed[i], r.series.requests[i], "every request fails after the rollback")
  end
  truthy(r.series.ok[26] > 0, "requests inside green finish there")
end)

test("figures/resilience/migrations-expand", function()
  local L = lesson(P)
  local out = L:run(5)
  truthy(out:find("false\tstep 1 (ALTER TABLE users RENAME COLUMN name TO full_name): " ..
                  "v1 cannot", 1, true), out)
  truthy(out:find("column", 1, true) and out:find("name", 1, true), out)
  L:says("The one-step rename breaks `v1` at once")
  out = L:run(6)
  truthy(out:find("^false"), "the stand-ins fail: " .. out)
  -- and the lesson's harness passes the exercise's solution
  local function save(db, id, name)
    db:exec("INSERT INTO users(id, name, full_name) VALUES (?, ?, ?) " ..
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, " ..
            "full_name = excluded.full_name", id, name, name)
  end
  local function col(c)
    return function(db, id)
      local row = db:query("SELECT " .. c .. " FROM users WHERE id = ?", id)[1]
      return row and row[c]
    end
  end
  for s = 1, 5 do
    local ok, err = L.env.migrate(L.env.SAFE, {v1 = L.env.V.v1, v4 = L.env.V.v4,
      v2 = {name = "v2", save = save, load = col("name")},
      v3 = {name = "v3", save = save, load = col("full_name")},
      backfill = function(db) db:exec("UPDATE users SET full_name = name") end}, s)
    truthy(ok, err)
  end
end)
