-- feedback: two videos share the upload
-- names the upload by its length, not by the client's key
local M = {}
function M.create(srv, req)
  local id = "upload-" .. req.length
  srv.db[id] = srv.db[id] or {length = req.length}
  return id
end
function M.append(srv, req)
  local have = srv.size(req.id)
  if req.offset == have then srv.append(req.id, req.data); have = have + #req.data end
  return have
end
function M.offset(srv, req) return srv.size(req.id) end
function M.finish(srv, req)
  if srv.size(req.id) ~= srv.db[req.id].length then return false end
  srv.enqueue(req.id, req.id)
  return true
end
return M
