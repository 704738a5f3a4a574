-- feedback: holds a function
-- keeps a closure in the database
local M = {}
function M.create(srv, req)
  srv.db[req.key] = srv.db[req.key] or {length = req.length}
  srv.db.log = print
  return req.key
end
function M.append(srv, req)
  local have = srv.size(req.id)
  if req.offset == have then
    srv.append(req.id, req.data)
    have = have + #req.data
  end
  return have
end
function M.offset(srv, req) return srv.size(req.id) end
function M.finish(srv, req)
  srv.enqueue(req.id, req.id)
  return true
end
return M
