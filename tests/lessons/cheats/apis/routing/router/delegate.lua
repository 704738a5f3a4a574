-- feedback: is not available to your code
-- lab.router behind the learner's interface
local Router = {}
Router.__index = Router
function Router.new(routes)
  local r = lab.router.new()
  for _, rt in ipairs(routes) do r:add(rt[1], rt[2]) end
  return setmetatable({r = r}, Router)
end
function Router:match(method, path)
  local m = self.r:match(method, path)
  if m.status == 200 then return 200, m.template, m.params end
  if m.status == 405 then return 405, nil, nil, m.allow end
  return 404
end
return Router
