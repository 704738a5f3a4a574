-- check_text.lua — text normalisation (see check.lua); reading numbers and
-- units is check_answer.lua.
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

lib.trim, lib.squish, lib.fold, lib.normalize = trim, squish, fold, normalize

env.trim = trim
env.squish = squish
env.fold = fold
env.normalize = normalize
