-- feedback: so the video was never stored
-- says it holds the whole video at once
local M = {}
function M.create(srv, req)
  srv.db[req.key] = req.length
  return req.key
end
function M.append(srv, req) return srv.db[req.id] end
function M.offset(srv, req) return srv.db[req.id] end
function M.finish(srv, req)
  srv.enqueue(req.id, req.id)
  return true
end
return M
