-- feedback: the reference returned
-- Everything right except HEAD: no fallback to GET, and no HEAD in Allow
-- (a router that hopes the check never sends HEAD).
local Router = {}
Router.__index = Router
local function split(path)
  local segs = {}
  for s in (path:sub(2) .. "/"):gmatch("([^/]*)/") do segs[#segs + 1] = s end
  return segs
end
function Router.new(routes)
  local list = {}
  for _, rt in ipairs(routes) do
    local segs = {}
    for i, s in ipairs(split(rt[2])) do
      segs[i] = s == "*" and {3, "*"} or s:match("^{.+}$") and {2, s:sub(2, -2)} or {1, s}
    end
    list[#list + 1] = {method = rt[1], template = rt[2], segs = segs}
  end
  return setmetatable({routes = list}, Router)
end
local function try(rt, segs)
  local params = {}
  for i, s in ipairs(rt.segs) do
    if s[1] == 3 then
      if i > #segs then return nil end
      params["*"] = table.concat(segs, "/", i)
      return params
    end
    if i > #segs or (s[1] == 1 and s[2] ~= segs[i]) or (s[1] == 2 and segs[i] == "") then
      return nil
    end
    if s[1] == 2 then params[s[2]] = segs[i] end
  end
  if #rt.segs ~= #segs then return nil end
  return params
end
local function better(a, b)
  for i = 1, math.min(#a.segs, #b.segs) do
    if a.segs[i][1] ~= b.segs[i][1] then return a.segs[i][1] < b.segs[i][1] end
  end
  return false
end
function Router:match(method, path)
  path = path:match("^[^?]*")
  if path:sub(1, 1) ~= "/" then return 404 end
  local segs, allow, seen, best = split(path), {}, {}, nil
  for _, rt in ipairs(self.routes) do
    local params = try(rt, segs)
    if params then
      if not seen[rt.method] then seen[rt.method] = true; allow[#allow + 1] = rt.method end
      if rt.method == method and (not best or better(rt, best.rt)) then
        best = {rt = rt, params = params}
      end
    end
  end
  if best then return 200, best.rt.template, best.params end
  if #allow == 0 then return 404 end
  table.sort(allow)
  return 405, nil, nil, table.concat(allow, ", ")
end
return Router
