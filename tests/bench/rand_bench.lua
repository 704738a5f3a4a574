-- lab.rand against a pure-Lua xoshiro256** (the same algorithm).
local N = 1000000

local function lua_xoshiro(seed)
  local function splitmix(x)
    x = x + 0x9E3779B97F4A7C15
    local z = x
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    return x, z ~ (z >> 31)
  end
  local s = {}
  for i = 1, 4 do seed, s[i] = splitmix(seed) end
  local function rotl(x, k) return (x << k) | (x >> (64 - k)) end
  return function()
    local r = rotl(s[2] * 5, 7) * 9
    local t = s[2] << 17
    s[3] = s[3] ~ s[1]; s[4] = s[4] ~ s[2]; s[2] = s[2] ~ s[3]; s[1] = s[1] ~ s[4]
    s[3] = s[3] ~ t; s[4] = rotl(s[4], 45)
    return (r >> 11) * 0x1.0p-53
  end
end

print("lab.rand (" .. N .. " draws)")
compare("uniform", N, function()
  local r = lab.rand.new(1)
  for _ = 1, N do r:uniform() end
end, function()
  local nxt = lua_xoshiro(1)
  for _ = 1, N do nxt() end
end)
