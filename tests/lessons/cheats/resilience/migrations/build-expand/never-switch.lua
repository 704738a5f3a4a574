-- feedback: loaded user
-- v3 that never reads the new column: passes the dual-write phases, but
-- while v4 (which writes only full_name) deploys beside it, it reads stale
-- names.
local function save(db, id, name)
  db:exec("INSERT INTO users(id, name, full_name) VALUES (?, ?, ?) " ..
          "ON CONFLICT(id) DO UPDATE SET name = excluded.name, " ..
          "full_name = excluded.full_name", id, name, name)
end
local function load_old(db, id)
  local row = db:query("SELECT name FROM users WHERE id = ?", id)[1]
  return row and row.name
end
return {
  v2 = {save = save, load = load_old},
  v3 = {save = save, load = load_old},
  backfill = function(db) db:exec("UPDATE users SET full_name = name") end,
}
