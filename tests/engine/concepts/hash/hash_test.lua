-- Lua tests of lab.hash (engine/concepts/hash/hash_lua.c).

local DATA = "tests/engine/concepts/hash/data/"

local function read(path)
  local f = assert(io.open(DATA .. path, "r"))
  local s = f:read("a")
  f:close()
  return s
end

test("hash/ketama_vectors", function()
  -- Couchbase SDK RFC 0026: 4 servers x 40 repetitions x 4 points
  local want = {}
  for h, host in read("ketama-hashes.json"):gmatch('"hash":%s*(%d+),%s*"hostname":%s*"([^"]+)"') do
    want[#want + 1] = {hash = tonumber(h), node = host}
  end
  eq(#want, 640)
  local r = lab.hash.ring{vnodes = 160}
  for i = 1, 4 do r:add("192.168.1.10" .. i .. ":11210") end
  same(r:points(), want)
  -- a key hashes with the first MD5 word; it goes to the first point >= hash
  local h = lab.hash.ketama("some key")
  local owner
  for _, p in ipairs(want) do if p.hash >= h then owner = p.node; break end end
  eq(r:lookup("some key"), owner or want[1].node)
  eq(r:lookup_hash(want[640].hash + 1), want[1].node)
  eq(r:lookup_hash(want[17].hash), want[17].node)
end)

test("hash/jump_vectors", function()
  local cells = 0
  for line in read("jump_hash_vectors.tsv"):gmatch("[^\n]+") do
    if not line:find("^#") then
      local key, list = line:match("^(%S+)\t(%S+)$")
      key = math.tointeger(tonumber(key))
      local n = 0
      for b in list:gmatch("%d+") do
        n = n + 1
        eq(lab.hash.jump(key, n), tonumber(b), "jump(" .. key .. ", " .. n .. ")")
        cells = cells + 1
      end
    end
  end
  eq(cells, 77)
  raises(function() lab.hash.jump(1, 0) end, "buckets")
  eq(lab.hash.jump("abc", 10), lab.hash.jump(lab.hash.hash64("abc"), 10))
end)

test("hash/hash_functions", function()
  eq(lab.hash.hash64(""), math.tointeger(0xcbf29ce484222325))
  eq(lab.hash.hash64("foobar"), math.tointeger(0x85944171f73967e8))
  eq(lab.hash.ketama("abc"), 0x98500190)           -- MD5("abc") = 90015098...
  eq(lab.hash.ketama("abc", 3), 0x727fe128)
  eq(lab.hash.mix64(0), 0)
  raises(function() lab.hash.ketama("abc", 4) end, "0..3")
end)

test("hash/ring_add_remove_weights", function()
  local r = lab.hash.ring{vnodes = 100, nodes = {"a", {"b", 2}, {name = "c", weight = 0.5}}}
  eq(#r, 3)
  same(r:nodes(), {"a", "b", "c"})
  local s = r:snapshot()
  eq(s.vnodes, 100)
  eq(s.nodes[2].points, 200)
  eq(s.nodes[3].points, 50)
  eq(#s.points, 350)
  near(s.nodes[1].share + s.nodes[2].share + s.nodes[3].share, 1, 1e-9)
  local before = {}
  for i = 1, 2000 do before[i] = r:lookup("k" .. i) end
  eq(r:remove("b"), true)
  eq(r:remove("b"), false)
  for i = 1, 2000 do
    if before[i] ~= "b" then eq(r:lookup("k" .. i), before[i]) end
  end
  r:add("d"):add("e", 3)                             -- add returns the ring
  eq(#r, 4)
  raises(function() r:add("a") end, "already")
  raises(function() r:add("x", 0) end, "weight must be a positive number")
  raises(function() lab.hash.ring{vnodes = 0} end, "vnodes")
  raises(function() lab.hash.ring{nodes = {{}}} end, "name")
  eq(lab.hash.ring():lookup("x"), nil)
  eq(#lab.hash.ring{"p", "q", vnodes = 8}, 2)             -- the list part is the nodes
  eq(#lab.hash.ring{"p", "q", vnodes = 8}:snapshot().points, 16)
  truthy(tostring(r):find("4 nodes"), tostring(r))
end)

test("hash/distribution", function()
  local r = lab.hash.ring{nodes = {"a", "b", "c", "d"}}
  local d, s = r:distribution(40000)
  eq(d.a + d.b + d.c + d.d, 40000)
  eq(s.mean, 10000.0)
  truthy(s.max_mean >= 1 and s.max_mean < 1.3, s.max_mean)
  local d2 = r:distribution{"x", "y", "z", 42}
  eq(d2.a + d2.b + d2.c + d2.d, 4)
  eq(d2[r:lookup("42")] >= 1, true)
  raises(function() lab.hash.ring():distribution(10) end, "no nodes")
end)

test("hash/rendezvous", function()
  local h = lab.hash.rendezvous{"a", "b", "c", "d", "e"}
  local d = h:distribution(50000)
  for _, n in ipairs{"a", "b", "c", "d", "e"} do near(d[n], 10000, 500, n) end
  -- the winner is the highest scorer; rank lists all nodes, best first
  for i = 1, 200 do
    local key = "k" .. i
    local rank = h:rank(key)
    eq(#rank, 5)
    eq(rank[1], h:lookup(key))
    for j = 2, 5 do truthy(h:score(rank[j - 1], key) >= h:score(rank[j], key)) end
  end
  same(h:rank("k1", 2), {h:rank("k1")[1], h:rank("k1")[2]})
  -- removal moves only the removed node's keys, each to its runner-up
  local before, second = {}, {}
  for i = 1, 3000 do
    local rank = h:rank("k" .. i, 2)
    before[i], second[i] = rank[1], rank[2]
  end
  h:remove("c")
  for i = 1, 3000 do
    eq(h:lookup("k" .. i), before[i] == "c" and second[i] or before[i])
  end
  -- weighted (logarithmic method): shares follow weights
  local w = lab.hash.rendezvous{nodes = {{"x", 1}, {"y", 3}}}
  local dw = w:distribution(40000)
  near(dw.y / 40000, 0.75, 0.015)
  eq(#h:snapshot().nodes, 4)
  truthy(tostring(h):find("4 nodes"))
end)

test("hash/maglev", function()
  local names = {}
  for i = 1, 7 do names[i] = "backend-" .. i end
  local m = lab.hash.maglev{nodes = names, size = 65537}
  local t = m:table()
  eq(#t, 65537)                                       -- fully populated
  local count = {}
  for _, n in ipairs(t) do count[n] = (count[n] or 0) + 1 end
  for _, n in ipairs(names) do
    truthy(count[n] == 65537 // 7 or count[n] == 65537 // 7 + 1, n .. ": " .. count[n])
  end
  local s = m:snapshot()
  eq(s.size, 65537)
  eq(s.nodes[1].entries, count["backend-1"])
  truthy(s.nodes[1].skip >= 1 and s.nodes[1].skip < 65537)
  -- removal: only a few entries of the survivors change (vs ~6/7 for modulo)
  m:remove("backend-4")
  local t2, changed = m:table(), 0
  for i = 1, 65537 do
    if t[i] ~= "backend-4" and t2[i] ~= t[i] then changed = changed + 1 end
  end
  truthy(changed < 65537 * 0.02, "changed " .. changed)
  -- entry hash64(key) mod M, the hash read as unsigned: in Lua, x = 2 * (x >> 1) + (x & 1)
  local function umod(x, n) return ((x >> 1) % n * 2 + (x & 1)) % n end
  for _, key in ipairs{"x", "y", "key-1", "key-2", "key-3"} do
    eq(m:lookup(key), t2[umod(lab.hash.hash64(key), 65537) + 1], key)
  end
  raises(function() lab.hash.maglev{size = 65536} end, "prime")
  raises(function() m:add("z", 2) end, "no weights")
  eq(lab.hash.maglev{size = 7}:table()[1], nil)
end)

test("hash/movement_theory", function()
  for _, scheme in ipairs{"ring", "jump", "rendezvous", "maglev"} do
    local add = lab.hash.movement{scheme = scheme, nodes = 10, keys = 100000, change = "add"}
    near(add.expected, 1 / 11, 1e-12)
    near(add.fraction, 1 / 11, scheme == "ring" and 0.03 or 0.01, scheme .. " add")
    eq(#add.before, 10)
    eq(#add.after, 11)
    local rem = lab.hash.movement{scheme = scheme, nodes = 10, keys = 100000, change = "remove"}
    near(rem.fraction, 0.1, 0.02, scheme .. " remove")
    if scheme ~= "maglev" then eq(rem.moved, rem.before[10]) end
  end
  local mod = lab.hash.movement{scheme = "modulo", nodes = 10, keys = 100000}
  near(mod.fraction, 10 / 11, 0.01)
  eq(mod.change, "add")
  -- more virtual nodes, better balance
  local few = lab.hash.movement{scheme = "ring", nodes = 10, vnodes = 4}
  local many = lab.hash.movement{scheme = "ring", nodes = 10, vnodes = 400}
  truthy(few.max_mean_before > many.max_mean_before)
  local mid = lab.hash.movement{scheme = "rendezvous", nodes = 5, change = "remove", node = 2}
  eq(mid.moved, mid.before[2])
  raises(function() lab.hash.movement{scheme = "jump", change = "remove", node = 1} end, "last")
  raises(function() lab.hash.movement{scheme = "nope"} end,
    "lab.hash.movement: option 'scheme' must be one of: modulo ring jump rendezvous maglev %(got 'nope'%)")
  raises(function() lab.hash.movement{change = "grow"} end, "change")
  raises(function() lab.hash.movement{scheme = "maglev", size = 100} end, "prime")
end)

test("hash/metatables_locked", function()
  eq(getmetatable(lab.hash.ring()), false)
  eq(getmetatable(lab.hash.rendezvous()), false)
  eq(getmetatable(lab.hash.maglev()), false)
  raises(function() lab.hash.ring().points(lab.hash.maglev()) end, "lab.hash.ring")
end)
