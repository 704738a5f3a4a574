-- feedback: the reference returned
-- precedence by counting static segments instead of comparing from the left
local Router = {}
Router.__index = Router

local STATIC, PARAM, WILD = 1, 2, 3

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
      if s == "*" then segs[i] = {WILD, "*"}
      elseif s:match("^{.+}$") then segs[i] = {PARAM, s:sub(2, -2)}
      else segs[i] = {STATIC, s} end
    end
    list[#list + 1] = {method = rt[1], template = rt[2], segs = segs}
  end
  return setmetatable({routes = list}, Router)
end

-- The parameters if route RT matches the path's segments, else nil.
local function try(rt, segs)
  local params = {}
  for i, s in ipairs(rt.segs) do
    if s[1] == WILD then
      if i > #segs then return nil end
      params["*"] = table.concat(segs, "/", i)
      return params
    end
    if i > #segs then return nil end
    if s[1] == STATIC and s[2] ~= segs[i] then return nil end
    if s[1] == PARAM then
      if segs[i] == "" then return nil end
      params[s[2]] = segs[i]
    end
  end
  if #rt.segs ~= #segs then return nil end
  return params
end

-- more static segments wins, then fewer wildcards: a count, not left to right
local function better(a, b)
  local function score(r)
    local s, w = 0, 0
    for _, g in ipairs(r.segs) do
      if g[1] == STATIC then s = s + 1 elseif g[1] == WILD then w = w + 1 end
    end
    return s * 10 - w
  end
  return score(a) > score(b)
end

function Router:match(method, path)
  path = path:match("^[^?]*")
  if path:sub(1, 1) ~= "/" then return 404 end
  local segs = split(path)
  local allow, seen, best, best_get = {}, {}, nil, nil
  for _, rt in ipairs(self.routes) do
    local params = try(rt, segs)
    if params then
      local names = {rt.method}
      if rt.method == "GET" then names[2] = "HEAD" end
      for _, m in ipairs(names) do
        if not seen[m] then seen[m] = true; allow[#allow + 1] = m end
      end
      local cand = {rt = rt, params = params}
      if rt.method == method and (not best or better(rt, best.rt)) then
        best = cand
      end
      if rt.method == "GET" and (not best_get or better(rt, best_get.rt)) then
        best_get = cand
      end
    end
  end
  if not best and method == "HEAD" then best = best_get end
  if best then return 200, best.rt.template, best.params end
  if #allow == 0 then return 404 end
  table.sort(allow)
  return 405, nil, nil, table.concat(allow, ", ")
end

return Router
