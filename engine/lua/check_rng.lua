-- check_rng.lua — the seeded generator of checks (see check.lua).
local env, engine, lib = ...

-- Library functions are captured now: nothing a check later does to its
-- globals changes how the helpers behave.
local type, next, select, error, pcall, xpcall = type, next, select, error, pcall, xpcall
local rawget, rawset, rawequal, rawlen = rawget, rawset, rawequal, rawlen
local setmetatable, tonumber, tostring = setmetatable, tonumber, tostring
local mtype, floor, abs = math.type, math.floor, math.abs
local sfind, sformat, sgsub, smatch = string.find, string.format, string.gsub, string.match
local sgmatch, slower, supper, srep, ssub, sbyte = string.gmatch, string.lower, string.upper,
	string.rep, string.sub, string.byte
local tconcat, tsort, tunpack = table.concat, table.sort, table.unpack
local describe, blame, callable = engine.describe, engine.blame, engine.callable
local SEED = engine.seed
local misuse = lib.misuse
local random_used = engine.random_used

-- Seeded randomness: splitmix64, the same stream for the same seed
-- everywhere.

local GOLDEN = 0x9E3779B97F4A7C15

local function mix(z)
	z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ~ (z >> 27)) * 0x94D049BB133111EB
	return z ~ (z >> 31)
end

local Rng = {}
Rng.__index = Rng

-- FROM_SEED: the generator's stream depends on the attempt's seed (rng,
-- its forks, the cases of differential{}), so that drawing from it makes
-- the seed worth showing (engine.random_used).
local function new_rng(seed, from_seed)
	if mtype(seed) ~= "integer" then
		seed = mtype(seed) == "float" and floor(seed) or misuse("rng.new: the seed must be a number")
	end
	return setmetatable({state = mix(seed + GOLDEN), from_seed = from_seed == true}, Rng)
end
Rng.new = function(seed) return new_rng(seed) end

local used = false
function Rng:next64()
	if not used and rawget(self, "from_seed") then
		used = true
		random_used()
	end
	self.state = self.state + GOLDEN
	return mix(self.state)
end

local function check_int(v, what)
	if mtype(v) == "float" and v == floor(v) then return floor(v) end
	if mtype(v) ~= "integer" then misuse(what .. " must be an integer") end
	return v
end

-- rng:int(n) in 1..n; rng:int(a, b) in a..b (both included).
function Rng:int(a, b)
	if b == nil then a, b = 1, a end
	a, b = check_int(a, "rng:int: the bounds"), check_int(b, "rng:int: the bounds")
	if a > b then misuse("rng:int: empty range " .. a .. ".." .. b) end
	return a + (self:next64() >> 1) % (b - a + 1)
end

-- rng:float() in [0, 1); rng:float(a, b) in [a, b).
function Rng:float(a, b)
	local x = (self:next64() >> 11) * 2.0 ^ -53
	if a == nil then return x end
	return a + (b - a) * x
end

function Rng:bool(p)
	return self:float() < (p or 0.5)
end

function Rng:pick(list)
	local n = rawlen(list)
	if n == 0 then misuse("rng:pick: the list is empty") end
	return rawget(list, self:int(1, n))
end

-- A shuffled copy of LIST.
function Rng:shuffle(list)
	local t = {}
	for i = 1, rawlen(list) do t[i] = rawget(list, i) end
	for i = #t, 2, -1 do
		local j = self:int(1, i)
		t[i], t[j] = t[j], t[i]
	end
	return t
end

-- K distinct elements of LIST, in random order.
function Rng:sample(list, k)
	local t = self:shuffle(list)
	for i = #t, k + 1, -1 do t[i] = nil end
	return t
end

-- A list of N values made by GEN(rng).
function Rng:list(n, gen)
	local t = {}
	for i = 1, n do t[i] = gen(self) end
	return t
end

function Rng:string(n, alphabet)
	alphabet = alphabet or "abcdefghijklmnopqrstuvwxyz"
	local t = {}
	for i = 1, n do
		local j = self:int(1, #alphabet)
		t[i] = ssub(alphabet, j, j)
	end
	return tconcat(t)
end

-- An independent generator derived from this one.
function Rng:fork()
	return new_rng(self:next64(), rawget(self, "from_seed"))
end

lib.new_rng, lib.mix, lib.GOLDEN = new_rng, mix, GOLDEN

env.rng = new_rng(SEED, true)
