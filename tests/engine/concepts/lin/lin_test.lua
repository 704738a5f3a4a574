-- Lua tests of lab.lin: Porcupine's verdicts through parse_jepsen and
-- check, histories written as tables, lab.sim histories, the explanation,
-- and the errors.

local DATA = "tests/engine/concepts/lin/data/"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

test("lin/porcupine_verdicts", function()
  local cases = 0
  for line in slurp(DATA .. "verdicts.tsv"):gmatch("[^\n]+") do
    if not line:match("^#") then
      local file, model, want = line:match("^(%S+)\t(%S+)\t(%S+)$")
      local h = lab.lin.parse_jepsen(slurp(DATA .. file))
      truthy(#h > 0, file)
      local ok, why = lab.lin.check{model = model, history = h}
      eq(ok, want == "true", file)
      if not ok then
        truthy(why.op >= 1 and why.op <= #h, file)
        truthy(why.text:find("not linearizable"), file)
      end
      cases = cases + 1
    end
  end
  eq(cases, 20)
end)

test("lin/parse_jepsen_fields", function()
  local h = lab.lin.parse_jepsen(
    "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\n" ..
    "noise\n" ..
    "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n" ..
    "INFO  jepsen.util - 2\t:fail\t:cas\t[3 0]\n" ..
    "INFO  jepsen.util - 1\t:ok\t:read\t4\n" ..
    "INFO  jepsen.util - 0\t:invoke\t:write\t7\n")
  eq(#h, 3)
  eq(h[1].f, "cas"); eq(h[1].value[1], 3); eq(h[1].value[2], 0)
  eq(h[1].status, "ok"); eq(h[1].output, false)
  eq(h[1].invoke, 1); eq(h[1].complete, 3)
  eq(h[2].client, 1); eq(h[2].output, 4); eq(h[2].complete, 4)
  eq(h[3].status, "info"); eq(h[3].complete, nil); eq(h[3].value, 7)
  local kv = lab.lin.parse_jepsen(
    '{:process 0, :type :invoke, :f :get, :key "5", :value nil}\n' ..
    '{:process 0, :type :ok, :f :get, :key "5", :value ""}\n')
  eq(kv[1].key, "5"); eq(kv[1].output, ""); eq(kv[1].f, "get")
  raises(function() lab.lin.parse_jepsen("INFO  jepsen.util - 1\t:ok\t:read\t4\n") end,
    "line 1: a completion without an :invoke")
end)

test("lin/tables", function()
  local check = lab.lin.check
  -- a write and a read that overlap: either order
  eq(check{history = {
    {f = "write", value = 1, invoke = 0, complete = 10},
    {f = "read", output = nil, invoke = 1, complete = 2}}}, true)
  -- one completing exactly when the other is invoked: they overlap
  eq(check{history = {
    {f = "write", value = 1, invoke = 0, complete = 5},
    {f = "read", output = nil, invoke = 5, complete = 6}}}, true)
  eq(check{history = {
    {f = "write", value = 1, invoke = 0, complete = 4},
    {f = "read", output = nil, invoke = 5, complete = 6}}}, false)
  -- 3, 3.0 and "3" are one value
  eq(check{history = {
    {f = "write", value = 3, invoke = 0, complete = 1},
    {f = "read", output = "3", invoke = 2, complete = 3},
    {f = "read", output = 3.0, invoke = 4, complete = 5}}}, true)
  -- fail: left out; info: may have happened
  eq(check{history = {
    {f = "write", value = 1, status = "fail", invoke = 0, complete = 1},
    {f = "read", output = 1, invoke = 2, complete = 3}}}, false)
  eq(check{history = {
    {f = "write", value = 1, status = "info", invoke = 0},
    {f = "read", output = 1, invoke = 2, complete = 3}}}, true)
  -- a map, key by key
  local ok, st = check{model = "kv", history = {
    {f = "put", key = "x", value = 1, invoke = 0, complete = 1},
    {f = "put", key = "y", value = 2, invoke = 0, complete = 1},
    {f = "get", key = "x", output = 1, invoke = 2, complete = 3},
    {f = "cas", key = "y", value = {2, 5}, output = true, invoke = 2, complete = 3},
    {f = "get", key = "y", output = 5, invoke = 4, complete = 5}}}
  eq(ok, true); eq(st.keys, 2); eq(st.operations, 5)
  local no, why = check{model = "kv", history = {
    {f = "put", key = "x", value = 1, invoke = 0, complete = 1},
    {f = "put", key = "y", value = 2, invoke = 0, complete = 1},
    {f = "get", key = "y", output = 1, invoke = 2, complete = 3}}}
  eq(no, false); eq(why.key, "y"); eq(why.op, 3); eq(why.state, 2)
  eq(#why.order, 1); eq(why.order[1], 2)
end)

test("lin/sim_history", function()
  -- the shape of s:history(): op = {f, key, value}, result
  local h = {
    {id = 1, client = 1, node = 1, op = {f = "write", key = "x", value = 1},
     invoke = 0.1, complete = 0.2, status = "ok", result = true},
    {id = 2, client = 2, node = 2, op = {f = "read", key = "x"},
     invoke = 0.3, complete = 0.4, status = "ok", result = 1},
    {id = 3, client = 2, node = 3, op = {f = "read", key = "x"},
     invoke = 0.5, complete = 0.6, status = "ok", result = nil},
    {id = 4, client = 1, node = 1, op = {f = "write", key = "x", value = 2},
     invoke = 0.7, status = "info"},
  }
  local ok, why = lab.lin.check{model = "kv", history = h}
  eq(ok, false); eq(why.op, 3); eq(why.state, 1)
  table.remove(h, 3)
  eq(lab.lin.check{model = "kv", history = h}, true)
end)

test("lin/errors", function()
  local check = lab.lin.check
  raises(function() check{history = {{f = "frob", invoke = 0, complete = 1}}} end,
    "history%[1%]%.f is 'frob'")
  raises(function() check{history = {{f = "cas", value = {1, 2}, output = true,
    invoke = 0, complete = 1}}} end, "which model 'register' has not")
  raises(function() check{model = "kv", history = {{f = "get", invoke = 0, complete = 1}}} end,
    "has no key")
  raises(function() check{history = {{f = "read", invoke = 0}}} end,
    "history%[1%]%.complete must be a finite number")
  raises(function() check{history = {{f = "read", invoke = 2, complete = 1}}} end,
    "completes")
  raises(function() check{model = "cas_register", history = {{f = "cas", value = {1, 2},
    invoke = 0, complete = 1}}} end, "must be true")
  raises(function() check{modl = "kv", history = {}} end, "unknown option 'modl'")
  raises(function() check{model = "queue", history = {}} end, "must be one of")
  eq(check{history = {}}, true)
  -- the history is read raw: a metatable on an operation is not consulted
  local op = setmetatable({}, {__index = function() error("metamethod ran") end})
  raises(function() check{history = {op}} end, "history%[1%]%.f must be a string")
end)
