-- check_text.lua — answer normalisation and quantities with units (see check.lua).
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
local misuse, show = lib.misuse, lib.show

-- Text and numbers

local function is_space(b)
	return b == 32 or (b >= 9 and b <= 13)
end

local function trim(s)
	local i, j = 1, #s
	while i <= j and is_space(sbyte(s, i)) do i = i + 1 end
	while j >= i and is_space(sbyte(s, j)) do j = j - 1 end
	return ssub(s, i, j)
end

local function squish(s)
	return trim((sgsub(s, "%s+", " ")))
end

local function fold(s)
	return slower(s)
end

-- The usual way to compare a typed answer: whitespace trimmed and
-- collapsed, ASCII letters folded, one pair of surrounding quotes or
-- backticks and a final period removed.
local function normalize(s)
	local function unperiod(t)
		if ssub(t, -1) == "." and not smatch(t, "%d%.$") then return trim(ssub(t, 1, -2)) end
		return t
	end
	s = unperiod(fold(squish(s)))
	local inner = smatch(s, '^"(.*)"$') or smatch(s, "^'(.*)'$") or smatch(s, "^`+(.-)`+$")
	if inner then s = unperiod(trim(inner)) end
	return s
end

-- Units: dimension and factor to the base unit (seconds, bytes, ratio).
local UNITS = {}
local function units(dim, factor, ...)
	for i = 1, select("#", ...) do
		UNITS[select(i, ...)] = {dim = dim, factor = factor}
	end
end
units("time", 1e-9, "ns", "nanosecond", "nanoseconds")
units("time", 1e-6, "us", "µs", "microsecond", "microseconds")
units("time", 1e-3, "ms", "millisecond", "milliseconds")
units("time", 1, "s", "sec", "secs", "second", "seconds")
units("time", 60, "m", "min", "mins", "minute", "minutes")
units("time", 3600, "h", "hr", "hrs", "hour", "hours")
units("time", 86400, "d", "day", "days")
units("size", 1, "b", "byte", "bytes")
units("size", 1e3, "kb")
units("size", 1e6, "mb")
units("size", 1e9, "gb")
units("size", 1e12, "tb")
units("size", 1024, "kib")
units("size", 1024 ^ 2, "mib")
units("size", 1024 ^ 3, "gib")
units("size", 1024 ^ 4, "tib")
units("ratio", 0.01, "%", "percent")
units("count", 1e3, "k", "thousand")
units("count", 1e6, "million")
units("count", 1e9, "billion")
local DIMENSION = {time = "a time", size = "a size", ratio = "a percentage", count = "a count"}

-- "1,000" (groups of three), "1_000", "-2.5", "1e3" -> number, or nil.
local function plain_number(s)
	if sfind(s, ",", 1, true) then
		local head, rest = smatch(s, "^([+-]?%d%d?%d?)(,.*)$")
		if not head then return nil end
		local groups = sgsub(rest, ",%d%d%d", "")
		if groups ~= "" and not smatch(groups, "^%.%d*$") then return nil end
		s = sgsub(s, ",", "")
	end
	s = sgsub(s, "_", "")
	if not smatch(s, "^[+-]?%d*%.?%d*[eE]?[+-]?%d*$") or not smatch(s, "%d") then return nil end
	return tonumber(s)
end

-- Reads TEXT as a number with an optional unit. Without WANT, returns the
-- value in the base unit of its dimension (seconds, bytes, a ratio) and the
-- dimension; with WANT (a unit), returns the value in that unit, a bare
-- number being taken as already in it. Returns nil and a reason if TEXT is
-- not a quantity (of WANT's dimension).
local function quantity(text, want)
	if type(text) ~= "string" and type(text) ~= "number" then
		return nil, "not text"
	end
	if type(text) == "number" then text = tostring(text) end
	local s = slower(trim(text))
	local num, rest = smatch(s, "^([+-]?%.?%d[%d%.,_]*)(.*)$")
	if not num then return nil, "not a number" end
	local exp, after = smatch(rest, "^([eE][+-]?%d+)(.*)$")
	if exp then num, rest = num .. exp, after end
	local n = plain_number(num)
	local unit = trim(rest)
	if not n then return nil, "not a number" end
	local wanted
	if want ~= nil then
		wanted = UNITS[slower(want)]
		if not wanted then misuse("quantity: unknown unit " .. show(want)) end
	end
	if unit == "" then
		return n, wanted and wanted.dim
	end
	local u = UNITS[unit]
	if not u then return nil, "unknown unit " .. show(unit) end
	if wanted and u.dim ~= wanted.dim then
		return nil, sformat("%s, not %s", DIMENSION[u.dim], DIMENSION[wanted.dim])
	end
	local v = n * u.factor / (wanted and wanted.factor or 1)
	v = tonumber(sformat("%.12g", v)) -- 0.002 s in ms is 2, not 2.0000000000000004
	return v, u.dim
end

lib.trim, lib.squish, lib.fold, lib.normalize, lib.quantity = trim, squish, fold, normalize, quantity

env.trim = trim
env.squish = squish
env.fold = fold
env.normalize = normalize
env.quantity = quantity
