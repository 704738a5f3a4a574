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
  ["lab.eventloop.loop"] = {function() local s; lab.eventloop.run(function(l) s = l end); return s end,
                            function(o) return o:now() end},
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
  ["lab.resilience.breaker"] = {function() return lab.resilience.breaker{} end,
                                function(o) return o:allow(0) end},
  ["lab.resilience.budget"] = {function() return lab.resilience.budget{} end,
                               function(o) return o:retry() end},
  ["lab.ratelimit"] = {function() return lab.ratelimit.gcra{rate = 1, burst = 1} end,
                       function(o) return o:allow(0) end},
  ["lab.net.nat"] = {function() return lab.net.nat{} end, function(o) return o:now() end},
  -- databases
  ["lab.sql"] = {function() return lab.sql.open() end, function(o) return o:stats() end},
  ["lab.btree"] = {function() return lab.btree.new{} end, function(o) return o:insert(1, 1) end},
  ["lab.bloom"] = {function() return lab.bloom.new{bits = 64, hashes = 2} end,
                   function(o) return o:add(1) end},
  ["lab.bloom.counting"] = {function() return lab.bloom.counting{counters = 64, hashes = 2} end,
                            function(o) return o:add(1) end},
  ["lab.hll"] = {function() return lab.hll.new{precision = 4} end,
                 function(o) return o:add("x") end},
  ["lab.metrics.registry"] = {function() return lab.metrics.registry() end,
                              function(o) return o:series() end},
  ["lab.metrics.hdr"] = {function() return lab.metrics.hdr() end, function(o) return o:count() end},
  ["lab.cms"] = {function() return lab.cms.new{width = 4, depth = 1} end,
                 function(o) return o:add("x") end},
  ["lab.search"] = {function() return lab.search.index() end,
                    function(o) return o:add(1, "x") end},
  ["lab.trie"] = {function() return lab.trie.new() end,
                  function(o) return o:insert("x") end},
  ["lab.lsm"] = {function() return lab.lsm.new{} end, function(o) return o:put(1, 1) end},
  ["lab.wal"] = {function() return lab.wal.new{} end, function(o) return o:state() end},
  ["lab.wal.tx"] = {function() return lab.wal.new{}:begin() end, function(o) return o:read(1) end},
  ["lab.mvcc"] = {function() return lab.mvcc.new() end, function(o) return o:read(1) end},
  ["lab.mvcc.tx"] = {function() return lab.mvcc.new():begin() end, function(o) return o:read(1) end},
  ["lab.locks"] = {function() return lab.locks.new() end, function(o) return o:lock(1, 1, "S") end},
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
  ["lab.broker.queue"] = {function() return lab.broker.queue{} end, function(o) return o:stats() end},
  ["lab.broker.topic"] = {function() return lab.broker.topic() end, function(o) return o:stats() end},
  ["lab.log"] = {function() return lab.log.new{} end, function(o) return o:offsets(0) end},
  ["lab.log.group"] = {function() return lab.log.new{}:group{} end, function(o) return o:lag() end},
  ["lab.events"] = {function() return lab.events.new() end, function(o) return o:stats() end},
  ["lab.sched"] = {function() return lab.sched.new{nodes = {{name = "a", cpu = 1, memory = 1}}} end,
                  function(o) return o:report() end},
  ["lab.tcp"] = {function() return lab.tcp.new{seed = 1} end, function(o) return o:state() end},
  ["lab.tcp.rto"] = {function() return lab.tcp.rto{} end, function(o) return o:get() end},
}

-- module 06 apis (lessons 01-09)
makers["lab.proto.schema"] = {function() return lab.proto.schema{M = {{1, "a", "int32"}}} end,
  function(o) return o:encode("M", {a = 1}) end}
makers["lab.ws.reader"] = {function() return lab.ws.reader{} end, function(o) return o:buffered() end}
makers["lab.sse.parser"] = {function() return lab.sse.parser() end,
  function(o) return o:feed("data: x\n\n") end}

-- the distributed-data module's classes
makers["lab.sim"] = {function() return lab.sim.new{nodes = 1, seed = 1} end, function(o) return o:run(1) end}
makers["lab.sim.behaviour"] = {function() return lab.gossip.node("swim", {}) end,
  function(o) return lab.sim.new{nodes = 1, seed = 1}:node(1, o) end}
makers["lab.raft.auditor"] = {function() return lab.raft.auditor{nodes = 2} end,
  function(o) return o:violation() end}
makers["lab.crdt"] = {function() return lab.crdt.new("gset", 1) end, function(o) return o:add("x") end}
makers["lab.clocks.lamport"] = {function() return lab.clocks.lamport() end, function(o) return o:tick() end}
makers["lab.clocks.vector"] = {function() return lab.clocks.vector(2, 1) end, function(o) return o:tick() end}
makers["lab.clocks.hlc"] = {function() return lab.clocks.hlc() end, function(o) return o:now(1) end}
makers["lab.clocks.store"] = {function() return lab.clocks.store(1, 2) end, function(o) return o:get("k") end}
makers["lab.merkle.tree"] = {function() return lab.merkle.tree({a = "1"}) end, function(o) return o:root() end}

-- module 06 apis, the building blocks
makers["lab.router"] = {function() return lab.router.new() end, function(o) return o:routes() end}
makers["lab.paging.table"] = {function() return lab.paging.table{rows = 3} end, function(o) return o:keys() end}
makers["lab.idem"] = {function() return lab.idem.new{} end, function(o) return o:stats() end}
makers["lab.graphql"] = {function() return lab.graphql.new{users = 2} end, function(o) return o:stats() end}

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
