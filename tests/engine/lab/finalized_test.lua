-- Every class of lab refuses an object reached again after its finalizer ran
-- (issue 8: a lab.rand reached through a weak table leaked its Zipf tables
-- in a loop). A weak-keyed table keeps a finalized object as a key until the
-- next collection: that is how Lua code can reach one.

local function finalized(make)
  local weak = setmetatable({}, {__mode = "k"})
  weak[make()] = true
  collectgarbage()                 -- runs its __gc; the key stays for now
  return (next(weak))
end

local makers = {
  ["lab.rand"] = {function() return lab.rand.new(1) end, function(o) return o:zipf(100, 1) end},
  ["lab.clock"] = {function() return lab.clock.new() end, function(o) return o:now() end},
  ["lab.cache"] = {function() return lab.cache.new{capacity = 2} end, function(o) return o:put(1, 1) end},
  ["lab.cache.store"] = {function() return lab.cache.store{} end, function(o) return o:stats() end},
  ["lab.cache.writer"] = {function() return lab.cache.writer{store = lab.cache.store{}} end,
                          function(o) return o:write(1, 1) end},
  ["lab.hash.ring"] = {function() return lab.hash.ring{"a"} end, function(o) return o:lookup("k") end},
  ["lab.hash.rendezvous"] = {function() return lab.hash.rendezvous{"a"} end,
                             function(o) return o:rank("k") end},
  ["lab.hash.maglev"] = {function() return lab.hash.maglev{size = 7, nodes = {"a"}} end,
                         function(o) return o:table() end},
  ["lab.lb"] = {function() return lab.lb.new{backends = {"a"}} end, function(o) return o:pick() end},
  ["lab.pool"] = {function() return lab.pool.new{rate = 1, duration = 1} end,
                  function(o) return o:step() end},
  ["lab.ratelimit"] = {function() return lab.ratelimit.gcra{rate = 1, burst = 1} end,
                       function(o) return o:allow(0) end},
  ["lab.net.nat"] = {function() return lab.net.nat{} end, function(o) return o:now() end},
  ["lab.crypto.timing"] = {function() return lab.crypto.timing{secret = "ab"} end,
                           function(o) return o:check("ab") end},
  ["lab.jwt.target"] = {function() return lab.jwt.target{bug = "none", key = "k",
                          algorithms = {"HS256"}, now = 0} end,
                        function(o) return o:verify("a.b.c") end},
  ["lab.oauth.server"] = {function() return lab.oauth.server{clients = {{id = "a",
                            redirect_uris = {"x"}}}} end,
                          function(o) return o:issuer() end},
  ["lab.oauth.app"] = {function()
                         local s = lab.oauth.server{clients = {{id = "a", redirect_uris = {"x"}}}}
                         return lab.oauth.app{server = s, client_id = "a", redirect_uri = "x"}
                       end, function(o) return o:start() end},
  ["lab.web.jar"] = {function() return lab.web.jar() end, function(o) return o:list() end},
  ["lab.web.db"] = {function() return lab.web.db(1) end,
                    function(o) return o:query("SELECT 1") end},
  ["lab.firewall"] = {function() return lab.firewall.new{} end,
                      function(o) return o:list("INPUT") end},
  -- the protocols branch's classes
  ["lab.dns.resolver"] = {function() return lab.dns.resolver() end, function(o) return o:now() end},
  ["lab.http.parser"] = {function() return lab.http.parser{type = "request"} end,
                         function(o) return o:buffered() end},
  ["lab.http.hpack_decoder"] = {function() return lab.http.hpack_decoder{} end,
                                function(o) return o:size() end},
  ["lab.http.hpack_encoder"] = {function() return lab.http.hpack_encoder{} end,
                                function(o) return o:encode({}) end},
  ["lab.tcp"] = {function() return lab.tcp.new{seed = 1} end, function(o) return o:state() end},
  ["lab.tcp.rto"] = {function() return lab.tcp.rto{} end, function(o) return o:get() end},
}

test("finalized/every_class_refuses", function()
  for name, m in pairs(makers) do
    eq(select(2, pcall(m[2], m[1]())) ~= "x", true)      -- a live one works
    local o = finalized(m[1])
    truthy(o, name .. ": not reached again")
    raises(function() return m[2](o) end, "already finalized")
    -- a class without __tostring has nothing to refuse: Lua's own tostring
    -- prints the address and touches no C state
    if rawget(debug.getregistry()[name], "__tostring") then
      raises(function() return tostring(o) end, "already finalized")
    end
  end
end)

test("finalized/every_class_is_listed", function()
  -- classes register their metatable under their name (luaL_newmetatable);
  -- those of objects with C state have a finalizer
  local missing = {}
  for name, mt in pairs(debug.getregistry()) do
    if type(name) == "string" and name:find("^lab%.") and type(mt) == "table" and
        rawget(mt, "__name") == name and rawget(mt, "__gc") and not makers[name] then
      missing[#missing + 1] = name
    end
  end
  table.sort(missing)
  eq(table.concat(missing, " "), "", "classes without a case in this test")
end)
