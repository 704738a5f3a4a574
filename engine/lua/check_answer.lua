-- check_answer.lua — reading typed answers for their meaning: one quantity
-- (a number with its unit), several numbers with labels, one word from a
-- list (see check.lua). docs/authoring.md, "Reading typed answers", is the
-- author's description of exactly what is accepted; tests/engine/
-- test_answers.c is the table of accepted and rejected forms.
--
-- An answer is read in three passes:
--   clean     Unicode look-alikes made ASCII (× ≈ − ≤ ≥, thin and
--             no-break spaces inside numbers), one pair of surrounding
--             quotes or backticks and a final full stop removed;
--   tokens    numbers (with thousands separators, decimals, exponents,
--             fractions a/b, a unit glued on: 2ms, 80%, 3.16x), words
--             (a word may hold digits: FIFO3, p99, HTTP/1.1), parenthesised
--             remarks, symbols;
--   meaning   for one quantity: exactly one number, an optional unit after
--             it, any words around it (about, t=, HTTP, entries...) unless
--             they make it a bound (less than 5, 200 or more).
local env, engine, lib = ...

local type, select, tonumber, tostring = type, select, tonumber, tostring
local rawget, ipairs, next, mfloor = rawget, ipairs, next, math.floor
local sfind, sformat, sgsub, smatch, slower, ssub, sbyte = string.find, string.format,
	string.gsub, string.match, string.lower, string.sub, string.byte
local tconcat = table.concat
local misuse, show, code = lib.misuse, lib.show, lib.code
local trim, normalize = lib.trim, lib.normalize

------------------------------------------------------------------------
-- Units: dimension and factor to the base unit (seconds, bytes, ratio).

local UNITS = {}
local function units(dim, factor, ...)
	for i = 1, select("#", ...) do
		UNITS[select(i, ...)] = {dim = dim, factor = factor}
	end
end
units("time", 1e-9, "ns", "nsec", "nanosecond", "nanoseconds")
units("time", 1e-6, "us", "µs", "μs", "usec", "microsecond", "microseconds")
units("time", 1e-3, "ms", "msec", "msecs", "millis", "millisecond", "milliseconds")
units("time", 1, "s", "sec", "secs", "second", "seconds")
units("time", 60, "m", "min", "mins", "minute", "minutes")
units("time", 3600, "h", "hr", "hrs", "hour", "hours")
units("time", 86400, "d", "day", "days")
units("size", 1, "b", "byte", "bytes")
units("size", 1e3, "kb", "kilobyte", "kilobytes")
units("size", 1e6, "mb", "megabyte", "megabytes")
units("size", 1e9, "gb", "gigabyte", "gigabytes")
units("size", 1e12, "tb", "terabyte", "terabytes")
units("size", 1e15, "pb", "petabyte", "petabytes")
units("size", 1024, "kib")
units("size", 1024 ^ 2, "mib")
units("size", 1024 ^ 3, "gib")
units("size", 1024 ^ 4, "tib")
units("size", 1024 ^ 5, "pib")
units("ratio", 0.01, "%", "percent", "pct")
units("ratio", 1, "x", "times")
units("count", 1, "count")     -- asked for: a plain count, no time, size or ratio
units("count", 1e3, "k", "thousand")
units("count", 1e6, "million")
units("count", 1e9, "billion")
local DIMENSION = {time = "a time", size = "a size", ratio = "a ratio", count = "a count"}

-- The unit WORD names (lowercase; a plural "s" is allowed: "mss", "mbs"),
-- or nil.
local function unit_of(word)
	local u = UNITS[word]
	if u then return u, word end
	local single = smatch(word, "^(..-)s$")
	if single and UNITS[single] and #single > 1 then return UNITS[single], single end
	return nil
end

------------------------------------------------------------------------
-- Pass 1: clean

local REPLACE = {
	{"\195\151", "x"},          -- × multiplication sign
	{"\226\137\136", "~"},      -- ≈
	{"\226\136\188", "~"},      -- ∼
	{"\226\137\131", "~"},      -- ≃
	{"\226\136\146", "-"},      -- − minus sign
	{"\226\137\164", "<="},     -- ≤
	{"\226\137\165", ">="},     -- ≥
	{"\226\137\160", "!="},     -- ≠
	{"\226\128\156", '"'}, {"\226\128\157", '"'}, -- “ ”
	{"\226\128\152", "'"}, {"\226\128\153", "'"}, -- ‘ ’
}
-- Spaces that may group digits: no-break, thin, narrow no-break.
local GROUP_SPACES = {"\194\160", "\226\128\137", "\226\128\175"}

-- Superscript digits and minus, as bytes 15 to 25 while powers are read.
local SUPERSCRIPTS = {
	{"\226\129\187", "\15"},                                    -- ⁻
	{"\226\129\176", "\16"}, {"\194\185", "\17"}, {"\194\178", "\18"}, -- ⁰ ¹ ²
	{"\194\179", "\19"}, {"\226\129\180", "\20"}, {"\226\129\181", "\21"}, -- ³ ⁴ ⁵
	{"\226\129\182", "\22"}, {"\226\129\183", "\23"}, {"\226\129\184", "\24"}, -- ⁶ ⁷ ⁸
	{"\226\129\185", "\25"},                                    -- ⁹
}

-- A number written with a superscript power ("3³", "10⁻³") becomes its
-- value ("27", "0.001"); superscripts anywhere else stay as they were.
local function powers(s)
	if not sfind(s, "[\194\226]") then return s end
	for i = 1, #SUPERSCRIPTS do s = sgsub(s, SUPERSCRIPTS[i][1], SUPERSCRIPTS[i][2]) end
	s = sgsub(s, "()(%d+%.?%d*)(\15?[\16-\25]+)", function(at, base, sup)
		if at > 1 and sfind(ssub(s, at - 1, at - 1), "[%w%.,_]") then return nil end
		local e = sgsub(sgsub(sup, "\15", "-"), "[\16-\25]",
			function(c) return string.char(sbyte(c) - 16 + 48) end)
		local v = tonumber(base) ^ tonumber(e)
		if v ~= v or v == math.huge then return nil end
		return sformat("%.15g", v)
	end)
	for i = 1, #SUPERSCRIPTS do s = sgsub(s, SUPERSCRIPTS[i][2], SUPERSCRIPTS[i][1]) end
	return s
end

local function clean(text)
	local s = powers(text)
	for i = 1, #REPLACE do
		s = sgsub(s, REPLACE[i][1], REPLACE[i][2])
	end
	for i = 1, #GROUP_SPACES do
		local sp = GROUP_SPACES[i]
		s = sgsub(s, "(%d)" .. sp .. "(%d%d%d)", "%1%2")
		s = sgsub(s, sp, " ")
	end
	s = trim(s)
	for _ = 1, 2 do -- `"2 ms".` and `"2 ms."`
		s = trim((sgsub(s, "[%.!;,]+$", "")))
		local inner = smatch(s, '^"(.*)"$') or smatch(s, "^'(.*)'$") or smatch(s, "^`+(.-)`+$")
		if inner then s = trim(inner) end
	end
	-- the whole answer in one pair of brackets: "(9, 10)"
	local inner = smatch(s, "^%((.*)%)$") or smatch(s, "^%[(.*)%]$") or smatch(s, "^{(.*)}$")
	if inner and not sfind(inner, "[%(%)%[%]{}]") then s = trim(inner) end
	return s
end

------------------------------------------------------------------------
-- Pass 2: tokens

local function is_digit(c) return c ~= "" and sfind(c, "^%d") ~= nil end
local function is_alpha(c) return c ~= "" and (sfind(c, "^%a") ~= nil or sbyte(c) >= 128) end

-- Reads a number at I in S: returns the token and the position after it,
-- or nil. COMMAS: a comma followed by three digits groups thousands.
local function scan_number(s, i, commas)
	local j, sign = i, ""
	local c = ssub(s, j, j)
	if c == "+" or c == "-" then sign, j = c, j + 1 end
	local int = smatch(s, "^%d+", j) or ""
	j = j + #int
	if #int >= 1 and #int <= 3 then
		local sep = commas and smatch(s, "^[,_]%d%d%d", j) and ssub(s, j, j)
		if not sep and smatch(s, "^_%d%d%d", j) then sep = "_" end
		while sep and smatch(s, "^" .. sep .. "%d%d%d", j) and not smatch(s, "^%d", j + 4) do
			int = int .. ssub(s, j + 1, j + 3)
			j = j + 4
		end
	end
	local frac = ""
	if ssub(s, j, j) == "." and is_digit(ssub(s, j + 1, j + 1)) then
		frac = smatch(s, "^%.%d+", j)
		j = j + #frac
	end
	if int == "" and frac == "" then return nil end
	local exp = smatch(s, "^[eE][+-]?%d+", j) or ""
	j = j + #exp
	local value = tonumber(sign .. (int == "" and "0" or int) .. frac .. exp)
	if value == nil then return nil end
	local tok = {kind = "num", value = value, at = i}
	-- a fraction: 4/5 (not 4/5/6)
	local den = smatch(s, "^/(%d+%.?%d*)", j)
	if den and not smatch(s, "^/[%d%.]+/", j) then
		local d = tonumber(den)
		if d and d ~= 0 then
			tok.value, tok.fraction = value / d, true
			j = j + 1 + #den
		end
	end
	-- a unit glued on: 2ms, 80%, 3.16x, 1.5k, 64entries
	local glued = smatch(s, "^%%", j) or smatch(s, "^[%a\128-\255]+", j)
	if glued then
		tok.glued = glued
		j = j + #glued
	end
	return tok, j
end

-- A word: letters, then letters, digits, _ - ' and . or / between
-- alphanumerics ("fifo3", "write-back", "http/1.1", "p99").
local function scan_word(s, i)
	local j = i
	while j <= #s do
		local c = ssub(s, j, j)
		if is_alpha(c) or is_digit(c) or c == "_" or c == "-" or c == "'" then
			j = j + 1
		elseif (c == "." or c == "/") and j > i and
			(is_alpha(ssub(s, j + 1, j + 1)) or is_digit(ssub(s, j + 1, j + 1))) then
			j = j + 1
		else
			break
		end
	end
	return ssub(s, i, j - 1), j
end

local SYMBOLS = {"<=", ">=", "!=", "==", "->", "=>"}

local function tokens(s, commas)
	local out, i, n = {}, 1, #s
	while i <= n do
		local c = ssub(s, i, i)
		local prev = out[#out]
		if sfind(c, "^%s") then
			i = i + 1
		elseif c == "(" then
			local depth, j = 0, i
			repeat
				local ch = ssub(s, j, j)
				if ch == "(" then depth = depth + 1 elseif ch == ")" then depth = depth - 1 end
				j = j + 1
			until depth == 0 or j > n
			if depth == 0 then
				out[#out + 1] = {kind = "remark", text = ssub(s, i, j - 1), at = i}
				i = j
			else
				out[#out + 1] = {kind = "sym", text = c, at = i}
				i = i + 1
			end
		elseif is_digit(c) or (c == "." and is_digit(ssub(s, i + 1, i + 1))) or
			((c == "-" or c == "+") and (is_digit(ssub(s, i + 1, i + 1)) or
				(ssub(s, i + 1, i + 1) == "." and is_digit(ssub(s, i + 2, i + 2)))) and
				not (prev and prev.kind == "num" and prev.stop == i)) then
			local tok, j = scan_number(s, i, commas)
			if tok then
				tok.stop = j
				out[#out + 1] = tok
				i = j
			else
				out[#out + 1] = {kind = "sym", text = c, at = i}
				i = i + 1
			end
		elseif is_alpha(c) then
			local word, j = scan_word(s, i)
			local lw = slower(word)
			-- x3.16: a multiplier written before the number
			local m = smatch(lw, "^x(%d*%.?%d+)$")
			if m then
				out[#out + 1] = {kind = "num", value = tonumber(m), glued = "x", at = i, stop = j}
			else
				out[#out + 1] = {kind = "word", text = lw, raw = word, at = i}
			end
			i = j
		else
			local sym = c
			for k = 1, #SYMBOLS do
				if ssub(s, i, i + #SYMBOLS[k] - 1) == SYMBOLS[k] then sym = SYMBOLS[k] break end
			end
			out[#out + 1] = {kind = "sym", text = sym, at = i}
			i = i + #sym
		end
	end
	return out
end

------------------------------------------------------------------------
-- Pass 3: meaning

-- Words that make a number a bound or a negation rather than the answer,
-- before the number ("not 5", "less than 5", "at least 5") and after it
-- ("5 or more", "5 at most").
local BOUND_BEFORE = {
	["not"] = true, no = true, never = true, less = true, more = true, fewer = true,
	under = true, over = true, below = true, above = true, least = true, most = true,
	than = true, between = true, except = true, max = true, min = true, maximum = true,
	minimum = true, up = true, beyond = true, exceeds = true, exceeding = true,
}
local BOUND_AFTER = {
	more = true, less = true, fewer = true, least = true, most = true, max = true,
	min = true, maximum = true, minimum = true, higher = true, lower = true, above = true,
	below = true, plus = true, up = true,
}
local BOUND_SYMBOLS = {["<"] = true, [">"] = true, ["<="] = true, [">="] = true, ["!="] = true}

-- Attaches units to numbers: the glued one, or a unit word or "%" right
-- after. Returns the list of number tokens; marks the tokens used as units.
local function numbers_of(toks)
	local nums = {}
	for k = 1, #toks do
		local t = toks[k]
		if t.kind == "num" then
			local nxt = toks[k + 1]
			if t.glued then
				if t.glued == "M" then
					t.unit = "million"
				else
					local u, name = unit_of(slower(t.glued))
					if u then t.unit = name end
				end
			elseif nxt and nxt.kind == "word" and unit_of(nxt.text) then
				local _, name = unit_of(nxt.text)
				t.unit, nxt.is_unit = name, true
			elseif nxt and nxt.kind == "sym" and nxt.text == "%" then
				t.unit, nxt.is_unit = "%", true
			end
			nums[#nums + 1] = t
		end
	end
	return nums
end

-- Why the single number NUM of TOKS is a bound ("less than 5"), or nil.
local function bound(toks, num)
	local k = 1
	while toks[k] ~= num do
		local t = toks[k]
		if (t.kind == "word" and BOUND_BEFORE[t.text]) or (t.kind == "sym" and BOUND_SYMBOLS[t.text]) then
			return t.raw or t.text
		end
		k = k + 1
	end
	local after = toks[k + 1]
	if after and after.is_unit then after = toks[k + 2] end
	if after and after.kind == "sym" and after.text == "+" then return "+" end
	for j = k + 1, #toks do
		local t = toks[j]
		if t.kind == "word" and BOUND_AFTER[t.text] and not t.is_unit then return t.raw end
		if t.kind == "sym" and BOUND_SYMBOLS[t.text] then return t.text end
	end
	return nil
end

local RATIO_WANTED = {["%"] = true, percent = true, pct = true, x = true, times = true}

-- Symbols that end a label ("3 entries: 10", "t=65", "size 4 -> 8").
local LABEL_MARKS = {[":"] = true, ["="] = true, ["->"] = true, ["=>"] = true}
-- What separates one labelled value from the next label.
local SEPARATORS = {[","] = true, [";"] = true}

-- Numbers in labels: a number before a label mark (`:`, `=`, `->`, `=>`)
-- belongs to the label, back to the previous separator (`,`, `;`, `and`)
-- or the previous labelled value: "3 entries: 10, 4 entries: 8" is the
-- values 10 and 8 labelled "3 entries" and "4 entries". A colon between
-- two digits ("2:20") is not a label mark. S is the cleaned text; the
-- numbers turned into label words are changed in TOKS.
local function label_numbers(toks, s)
	local from, after_mark = 1, false
	for k = 1, #toks do
		local t = toks[k]
		if t.kind == "sym" and LABEL_MARKS[t.text] and
			not (t.text == ":" and is_digit(ssub(s, t.at - 1, t.at - 1)) and
				is_digit(ssub(s, t.at + 1, t.at + 1))) then
			for j = from, k - 1 do
				local n = toks[j]
				if n.kind == "num" then
					local raw = ssub(s, n.at, n.stop - 1)
					toks[j] = {kind = "word", text = slower(raw), raw = raw, at = n.at}
				end
			end
			from, after_mark = k + 1, true
		elseif (t.kind == "sym" and SEPARATORS[t.text]) or (t.kind == "word" and t.text == "and") then
			from = k + 1
		elseif t.kind == "num" and after_mark then
			from, after_mark = k + 1, false
		end
	end
	return toks
end

-- Compound durations: "2 min 20 s", "1h30m", "1 m 5 s", "1 hour and 30
-- minutes" are one time. Parts follow each other with nothing between but
-- spaces or `and`; each has a time unit, smaller than the one before; all
-- but the last are whole numbers; no part is negative; a later one is less
-- than one of the unit before it (20 s < 1 min). Anything else stays
-- several numbers. Joins the parts of NUMS (numbers_of()'s list) in TOKS;
-- returns the new list of numbers.
local function join_durations(toks, nums)
	local function time_unit(t)
		local u = t.unit and UNITS[t.unit]
		return u and u.dim == "time" and u or nil
	end
	-- the token index of each number, and what lies between two of them
	local index = {}
	for k = 1, #toks do index[toks[k]] = k end
	local function adjacent(a, b)
		for k = index[a] + 1, index[b] - 1 do
			local t = toks[k]
			if not (t.is_unit or (t.kind == "word" and t.text == "and")) then return false end
		end
		return true
	end
	local out, drop, i = {}, {}, 1
	while i <= #nums do
		local first = nums[i]
		local u = time_unit(first)
		local total, prev, j = u and first.value * u.factor, u, i
		while u and j < #nums do
			local a, b = nums[j], nums[j + 1]
			local ub = time_unit(b)
			if not (ub and ub.factor < prev.factor and adjacent(a, b) and
				a.value == mfloor(a.value) and a.value >= 0 and b.value >= 0 and
				b.value * ub.factor < prev.factor) then
				break
			end
			total, prev, j = total + b.value * ub.factor, ub, j + 1
		end
		if j > i then
			local joined = {kind = "num", value = tonumber(sformat("%.12g", total)), unit = "s",
				at = first.at, stop = nums[j].stop}
			for k = index[first], index[nums[j]] do drop[k] = true end
			toks[index[first]] = joined
			drop[index[first]] = nil
			-- the unit word after the last part goes with it
			local last = index[nums[j]]
			if toks[last + 1] and toks[last + 1].is_unit then drop[last + 1] = true end
			out[#out + 1] = joined
			i = j + 1
		else
			out[#out + 1] = first
			i = i + 1
		end
	end
	if next(drop) then
		local kept = {}
		for k = 1, #toks do
			if not drop[k] then kept[#kept + 1] = toks[k] end
		end
		for k = #toks, 1, -1 do toks[k] = nil end
		for k = 1, #kept do toks[k] = kept[k] end
	end
	return out
end

-- The tokens and numbers of the cleaned text S: COMMAS as for tokens(),
-- JOIN to read compound durations as one time.
local function read(s, commas, join)
	local toks = label_numbers(tokens(s, commas), s)
	local nums = numbers_of(toks)
	if join then nums = join_durations(toks, nums) end
	return toks, nums
end

-- The value of number token T in unit WANT (a name in UNITS, or nil):
-- returns value, dimension, or nil and a reason.
local function convert(t, want)
	local wanted = want and UNITS[want]
	local u = t.unit and UNITS[t.unit]
	if not u then
		-- a bare number is in the unit asked for; a fraction, asked for a
		-- percentage, is a share: 4/5 is 80%
		if t.fraction and wanted and wanted.dim == "ratio" then
			return tonumber(sformat("%.12g", t.value / wanted.factor)), "ratio"
		end
		return t.value, wanted and wanted.dim
	end
	if wanted and u.dim ~= wanted.dim then
		if u.dim == "count" then -- 2k when a time is asked: a bare number of thousands
			return tonumber(sformat("%.12g", t.value * u.factor)), wanted.dim
		end
		if t.unit == "m" and wanted.dim == "size" then -- 4 M: mega was meant
			return nil, "a time (`m` alone is minutes), not a size: write `MB` or `MiB`"
		end
		return nil, sformat("%s, not %s", DIMENSION[u.dim], DIMENSION[wanted.dim])
	end
	local v = t.value * u.factor / (wanted and wanted.factor or 1)
	v = tonumber(sformat("%.12g", v)) -- 0.002 s in ms is 2, not 2.0000000000000004
	return v, u.dim
end

local function check_want(want, who)
	if want == nil then return nil end
	if type(want) ~= "string" or not UNITS[slower(want)] then
		misuse(who .. ": unknown unit " .. show(want))
	end
	return slower(want)
end

-- The text of a typed answer: strings as they are, numbers as text.
local function as_text(text)
	if type(text) == "number" then return tostring(text) end
	if type(text) ~= "string" then return nil end
	return text
end

-- Reads TEXT as one quantity: in unit WANT if given (a bare number being
-- taken as already in it), else in the base unit of its dimension. Returns
-- the value and the dimension, or nil and a reason.
local function quantity(text, want)
	want = check_want(want, "quantity")
	local s = as_text(text)
	if not s then return nil, "not text" end
	local toks, nums = read(clean(s), true, true)
	if #nums == 0 then return nil, "no number" end
	if #nums > 1 then
		local times = 0
		for _, t in ipairs(nums) do
			local u = t.unit and UNITS[t.unit]
			if u and u.dim == "time" then times = times + 1 end
		end
		if times == #nums then
			return nil, sformat("%d times, not one: write a duration largest unit first, " ..
				"each part less than one of the unit before (`2 min 20 s`)", #nums)
		end
		return nil, sformat("%d numbers, not one", #nums)
	end
	local why = bound(toks, nums[1])
	if why then return nil, sformat("a bound (%s), not one value", why) end
	return convert(nums[1], want)
end

-- Reads TEXT as several numbers, in order; each may have a label before it
-- (FIFO3=9, "ring (160 points) 0.1003") and a unit. WANT as for
-- quantity(). COUNT, if given, is how many are expected: "200,429,401" is
-- then three numbers rather than one with thousands separators. Returns
-- the list of values and the list of labels (the words before each
-- number, "" if none), or nil and a reason.
local function numbers(text, want, count)
	want = check_want(want, "numbers")
	local s = as_text(text)
	if not s then return nil, "not text" end
	local cleaned = clean(s)
	-- with COUNT, the first reading that gives that many numbers: commas
	-- as thousands separators or between numbers, compound durations
	-- joined or not ("1 h and 30 min" is two times if two are asked)
	local toks, nums = read(cleaned, true, true)
	if count and #nums ~= count then
		for _, way in ipairs{{true, false}, {false, true}, {false, false}} do
			local toks2, nums2 = read(cleaned, way[1], way[2])
			if #nums2 == count then toks, nums = toks2, nums2 break end
		end
	end
	if #nums == 0 then return nil, "no number" end
	if count and #nums ~= count then
		return nil, sformat("%d number%s, not %d", #nums, #nums == 1 and "" or "s", count)
	end
	local values, labels, words = {}, {}, {}
	local k = 1
	for _, t in ipairs(toks) do
		if t.kind == "word" and not t.is_unit then
			words[#words + 1] = t.text
		elseif t.kind == "num" then
			local v, why = convert(t, want)
			if v == nil then return nil, why end
			values[k], labels[k] = v, tconcat(words, " ")
			words, k = {}, k + 1
		end
	end
	return values, labels
end

------------------------------------------------------------------------
-- What form an answer should have, in words (for unreadable answers).

local EXAMPLE = {time = "2", size = "64", ratio = "50", count = "42"}

local function form_text(want)
	if want == nil then return "a number (for example `42`)" end
	local u = UNITS[want]
	if u.dim == "time" then
		return sformat("a time in %s (for example `2` or `2 %s`)", want, want)
	elseif u.dim == "size" then
		return sformat("a size in %s (for example `64` or `64 %s`)", want, want)
	elseif want == "%" or want == "percent" or want == "pct" then
		return "a percentage (for example `50%`)"
	elseif u.dim == "ratio" then
		return "a ratio (for example `3.5` or `3.5x`)"
	end
	return sformat("a number (for example `%s`)", EXAMPLE[u.dim])
end

-- The message for TEXT that could not be read as one quantity (WHY is
-- quantity()'s reason).
-- TEXT as Markdown in a message: code, or "nothing".
-- A long answer is cut after SHOWN_MAX bytes (on a character boundary)
-- with "…": a message quotes it, it does not repeat a page of it.
local SHOWN_MAX = 60
local function shown(text)
	if type(text) ~= "string" then return show(text) end
	local t = trim(text)
	if #t > SHOWN_MAX then
		local cut = SHOWN_MAX
		while cut > 1 and sfind(ssub(t, cut + 1, cut + 1), "^[\128-\191]") do cut = cut - 1 end
		t = trim(ssub(t, 1, cut)) .. "…"
	end
	return t == "" and "nothing" or code(t)
end

local function number_form_message(text, want, why)
	if type(text) == "string" and trim(text) == "" then
		return sformat("Type %s.", form_text(want))
	end
	local typed = shown(text)
	if why == "no number" then
		return sformat("Type %s: %s has no number in it.", form_text(want), typed)
	end
	return sformat("Type %s: %s is %s.", form_text(want), typed, why)
end

-- "1 2 3" for COUNT numbers (the example in messages).
local function example_list(count)
	local parts = {}
	for i = 1, count > 4 and 4 or count do parts[i] = tostring(i) end
	if count > 4 then parts[#parts + 1] = "..." end
	return tconcat(parts, " ")
end

local function numbers_form_message(text, want, count, why)
	local typed = shown(text)
	local what = count and sformat("%d number%s", count, count == 1 and "" or "s") or "numbers"
	local unit = want and sformat(" (in %s)", want) or ""
	return sformat("Type %s%s, separated by spaces (for example `%s`): %s has %s.", what, unit,
		example_list(count or 2), typed, why)
end

lib.UNITS, lib.quantity, lib.numbers = UNITS, quantity, numbers
lib.number_form_message, lib.numbers_form_message = number_form_message, numbers_form_message
lib.shown = shown

env.quantity = quantity
env.numbers = numbers
