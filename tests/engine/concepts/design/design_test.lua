-- Lua tests of lab.design (engine/concepts/design/design_lua.c): the
-- catalog, compile errors, cost and describe.

local function three_tier()
  return {
    {name = "web", kind = "app", instances = 4, calls = {{to = "cache", timeout = 0.5}}},
    {name = "cache", kind = "cache", memory = 2,
     calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
    {name = "primary", kind = "db"},
    {name = "replicas", kind = "replica", instances = 2},
  }
end

test("design/catalog", function()
  local c = lab.design.catalog
  for _, k in ipairs{"lb", "app", "cache", "db", "replica", "queue", "worker", "cdn", "blob",
                     "limiter"} do
    truthy(c[k], "kind " .. k)
    truthy(c[k].workers >= 1 and c[k].latency > 0 and c[k].price >= 0, k)
  end
  eq(c.db.write_latency, 2 * c.db.latency)
  eq(c.replica.read_only, true)
  eq(c.cache.memory, true)
  eq(c.app.memory, false)
  -- a copy: changing it changes no run
  local price = c.db.price
  c.db.price = 0
  eq(lab.design.cost{{name = "d", kind = "db"}}, price)
  c.db.price = price
end)

test("design/cost_sums_exactly", function()
  local c = lab.design.catalog
  local want = 4 * c.app.price + c.cache.price + 2 * c.cache.memory_price + c.db.price
    + 2 * c.replica.price
  eq(lab.design.cost(three_tier()), want)
  eq(math.type(lab.design.cost(three_tier())), "integer")
  -- doubling instances adds exactly their price
  local d = three_tier()
  d[4].instances = 4
  eq(lab.design.cost(d), want + 2 * c.replica.price)
end)

test("design/refuses_capacity_fields", function()
  for _, field in ipairs{"workers", "latency", "write_latency", "queue", "price", "cache",
                         "read_only", "dist"} do
    local d = three_tier()
    d[3][field] = 1
    raises(function() lab.design.cost(d) end,
      "component 'primary' %(3%): '" .. field .. "' is fixed by the component's kind")
  end
end)

test("design/compile_errors", function()
  local function err(d) local ok, e = pcall(lab.design.cost, d); eq(ok, false); return e end
  local d = three_tier()
  d[3].kind = "dbb"
  truthy(err(d):find("component 'primary' (3): unknown kind 'dbb'", 1, true))
  d = three_tier()
  d[4].calls = {{to = "web"}}
  truthy(err(d):find("component 'replicas' (4): calls 'web', listed before it", 1, true))
  d = three_tier()
  d[1].calls[1].to = "cahce"
  truthy(err(d):find("component 'web' (1): calls 'cahce', which is no component", 1, true))
  d = three_tier()
  d[4].instances = 0
  truthy(err(d):find("component 'replicas' (4): option 'instances' must be between 1 and 1000", 1, true))
  d[4].instances = 1001
  truthy(err(d):find("between 1 and 1000 (got 1001)", 1, true))
  d = three_tier()
  d[2].memory = nil
  truthy(err(d):find("kind 'cache' needs memory", 1, true))
  d = three_tier()
  d[1].memory = 4
  truthy(err(d):find("kind 'app' holds no cache", 1, true))
  d = three_tier()
  d[1].calls[1].timout = 1
  truthy(err(d):find("component 'web' (1): calls[1]: unknown option 'timout' (did you mean 'timeout'?)", 1, true))
  d = three_tier()
  d[4].name = "web"
  truthy(err(d):find("the name 'web' is taken by component 1", 1, true))
  truthy(err({}):find("at least one component", 1, true))
  truthy(err({{name = "x", kind = "limiter"}}):find("needs limit", 1, true))
  truthy(err({{name = "x", kind = "app", limit = {rate = 1, burst = 1}}}):find("limit is for a limiter", 1, true))
  truthy(err({{name = "x", kind = "lb", instances = 51}}):find("the simulator takes at most 1000000", 1, true))
  truthy(err({{name = "x", kind = "app", route = "key"}}):find("route 'key' without calls", 1, true))
  truthy(err({{kind = "app"}}):find("option 'name' is required", 1, true))
  truthy(err({{name = "x"}}):find("component 'x' (1): option 'kind' is required", 1, true))
end)

test("design/problem_kinds", function()
  local d = {{name = "enc", kind = "transcoder", instances = 3}}
  raises(function() lab.design.cost(d) end, "unknown kind 'transcoder'")
  eq(lab.design.cost(d, nil, {transcoder = {workers = 4, latency = 30, price = 150}}), 450)
  raises(function() lab.design.cost(d, nil, {transcoder = {workers = 4, latency = 30}}) end,
    "a new kind needs 'price'")
  -- overriding a catalog kind keeps what is not given
  eq(lab.design.cost({{name = "d", kind = "db", instances = 2}}, nil, {db = {price = 7}}), 14)
  raises(function() lab.design.cost(d, nil, {transcoder = {workers = 0, latency = 1, price = 1}}) end,
    "option 'workers' must be between 1")
end)

test("design/describe", function()
  local text = lab.design.describe(three_tier(), {rate = 100, size = 500})
  truthy(text:find("clients -> web (app) x4: 200 workers, $400 a month", 1, true), text)
  truthy(text:find("-> primary [write]", 1, true), text)
  truthy(text:find("-> replicas [read]", 1, true), text)
  truthy(text:find("2 GB = 4,000,000 items", 1, true), text)       -- 2e9 / 500
  truthy(text:find("total $" .. lab.design.cost(three_tier()) .. " a month", 1, true)
    or text:find("total $", 1, true), text)
  truthy(lab.design.describe(three_tier()):find("x2: 40 workers", 1, true))
end)

test("design/page_table_is_the_catalog", function()
  -- the page's table of kinds says what lab.design.catalog holds, row by row
  local page, rows = lab.help("design"), 0
  for line in page:gmatch("[^\n]+") do
    local cells = {}
    if line:sub(1, 1) == "|" then
      for cell in line:gmatch("[^|]+") do cells[#cells + 1] = cell:match("^%s*(.-)%s*$") end
    end
    local k = lab.design.catalog[cells[1] or ""]
    if k and #cells >= 7 then
      rows = rows + 1
      eq(tonumber(cells[2]), k.workers, cells[1] .. " workers")
      eq(tonumber(cells[3]), k.latency, cells[1] .. " latency")
      eq(tonumber(cells[4]), k.write_latency, cells[1] .. " write_latency")
      eq(tonumber(cells[5]), k.queue, cells[1] .. " queue")
      eq(tonumber(cells[6]), k.price, cells[1] .. " price")
      eq(tonumber(cells[7]), k.memory_price, cells[1] .. " memory_price")
      eq(k.order, rows, cells[1] .. " in the catalog's order")
    end
  end
  local n = 0
  for _ in pairs(lab.design.catalog) do n = n + 1 end
  eq(rows, n)
end)
