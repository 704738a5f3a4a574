-- lab.hash against straightforward pure-Lua versions of the same structures.

-- MD5 (RFC 1321) in pure Lua: the four little-endian words of the digest.
local T, S = {}, {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21}
for i = 1, 64 do T[i] = math.floor(math.abs(math.sin(i)) * 2^32) end
local function md5_words(msg)
  local len = #msg
  msg = msg .. "\128" .. string.rep("\0", (55 - len) % 64) .. string.pack("<I8", len * 8)
  local a0, b0, c0, d0 = 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476
  local x = {}
  for pos = 1, #msg, 64 do
    for i = 1, 16 do x[i] = string.unpack("<I4", msg, pos + 4 * (i - 1)) end
    local a, b, c, d = a0, b0, c0, d0
    for i = 0, 63 do
      local f, g, r = 0, 0, i // 16
      if r == 0 then f = (b & c) | (~b & d); g = i
      elseif r == 1 then f = (b & d) | (c & ~d); g = (5 * i + 1) % 16
      elseif r == 2 then f = b ~ c ~ d; g = (3 * i + 5) % 16
      else f = c ~ (b | ~d); g = (7 * i) % 16 end
      local s = S[r * 4 + i % 4 + 1]
      local t = (a + f + T[i + 1] + x[g + 1]) & 0xFFFFFFFF
      a, d, c = d, c, b
      b = (b + (((t << s) | (t >> (32 - s))) & 0xFFFFFFFF)) & 0xFFFFFFFF
    end
    a0, b0 = (a0 + a) & 0xFFFFFFFF, (b0 + b) & 0xFFFFFFFF
    c0, d0 = (c0 + c) & 0xFFFFFFFF, (d0 + d) & 0xFFFFFFFF
  end
  return a0, b0, c0, d0
end

-- A ketama ring in pure Lua: sorted hashes, binary search. HASH(s) gives the
-- key hash; the points always use pure-Lua MD5.
local function lua_ring(names, hash)
  local pts = {}
  for _, name in ipairs(names) do
    for rep = 0, 39 do
      local w = {md5_words(name .. "-" .. rep)}
      for j = 1, 4 do pts[#pts + 1] = {w[j], name} end
    end
  end
  table.sort(pts, function(p, q) return p[1] < q[1] or (p[1] == q[1] and p[2] < q[2]) end)
  local hs, ns = {}, {}
  for i, p in ipairs(pts) do hs[i], ns[i] = p[1], p[2] end
  local n = #hs
  return function(key)
    local h = hash(key)
    local lo, hi = 1, n + 1
    while lo < hi do
      local mid = (lo + hi) // 2
      if hs[mid] < h then lo = mid + 1 else hi = mid end
    end
    return ns[lo > n and 1 or lo]
  end
end

local function fnv1a(s)
  local h = 0xcbf29ce484222325
  for i = 1, #s do h = (h ~ s:byte(i)) * 0x100000001b3 end
  return h
end

local function mix64(z)
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  return z ~ (z >> 31)
end

local function jump(key, n)
  local b, j = -1, 0
  while j < n do
    b = j
    key = key * 2862933555777941757 + 1
    j = math.floor((b + 1) * (2147483648.0 / ((key >> 33) + 1)))
  end
  return b
end

local names = {}
for i = 1, 10 do names[i] = "node-" .. i end
local keys = {}
for i = 1, 100000 do keys[i] = "key-" .. i end

-- the pure-Lua versions must agree with lab before their speed means anything
local r = lab.hash.ring{nodes = names}
local full = lua_ring(names, function(k) return (md5_words(k)) end)
local half = lua_ring(names, lab.hash.ketama)
for i = 1, 2000 do
  assert(full(keys[i]) == r:lookup(keys[i]) and half(keys[i]) == r:lookup(keys[i]))
  assert(fnv1a(keys[i]) == lab.hash.hash64(keys[i]))
  assert(jump(i, 10) == lab.hash.jump(i, 10))
  assert(mix64(i) == lab.hash.mix64(i))
end

print("lab.hash (10 nodes, 160 points each)")
local N = #keys
compare("ring lookup vs pure Lua (Lua MD5)", 20000, function()
  for i = 1, 20000 do r:lookup(keys[i]) end
end, function()
  for i = 1, 20000 do full(keys[i]) end
end)
compare("ring lookup, Lua search on C ketama hash", N, function()
  for i = 1, N do r:lookup(keys[i]) end
end, function()
  for i = 1, N do half(keys[i]) end
end)
compare("jump(integer key, 10)", N, function()
  local j = lab.hash.jump
  for i = 1, N do j(i, 10) end
end, function()
  for i = 1, N do jump(i, 10) end
end)
local h = lab.hash.rendezvous(names)
local nh = {}
for i, name in ipairs(names) do nh[i] = fnv1a(name) end
compare("rendezvous lookup (10 nodes)", N, function()
  for i = 1, N do h:lookup(keys[i]) end
end, function()
  for i = 1, N do
    local k, best, top = fnv1a(keys[i]), 1, nil
    for j = 1, #nh do
      local s = mix64(nh[j] ~ k)
      if top == nil or math.ult(top, s) then top, best = s, j end
    end
  end
end)
compare("movement experiment (jump, 10^5 keys)", N, function()
  lab.hash.movement{scheme = "jump", nodes = 10, keys = N}
end, function()
  local moved = 0
  for i = 1, N do
    local k = fnv1a(keys[i])
    if jump(k, 10) ~= jump(k, 11) then moved = moved + 1 end
  end
end)
