-- check.lua — the check API, loaded by the engine into every check
-- environment (never into the submission's). Documented for authors in
-- docs/authoring.md, section "Checks".
--
-- Values under test may come from hostile code: every helper compares and
-- describes them with raw operations only (rawequal, next, rawget, rawlen,
-- type), never ==, #, ipairs, pairs, tostring or .. on them, so that no
-- metamethod of a submission can change a verdict.
--
-- Called with (env, engine): env is the check's environment, engine a table
-- of private helpers written in C (grade_check.c) that checks never see.
local env, engine = ...

-- Library functions are captured now: nothing a check later does to its
-- globals changes how the helpers behave.
local type, next, select, error, pcall, xpcall = type, next, select, error, pcall, xpcall
local rawget, rawset, rawequal, rawlen = rawget, rawset, rawequal, rawlen
local setmetatable, tonumber, tostring = setmetatable, tonumber, tostring
local mtype, floor, abs, huge = math.type, math.floor, math.abs, math.huge
local sfind, sformat, sgsub, smatch = string.find, string.format, string.gsub, string.match
local sgmatch, slower, supper, srep, ssub, sbyte = string.gmatch, string.lower, string.upper,
	string.rep, string.sub, string.byte
local tconcat, tsort, tunpack = table.concat, table.sort, table.unpack

local describe, blame, callable = engine.describe, engine.blame, engine.callable
local FAILURE, MISUSE = engine.failure, engine.misuse
local check_where, record_credit, learner_output = engine.where, engine.credit, engine.printed
local SEED = engine.seed

------------------------------------------------------------------------
-- Failing

local function failure(message)
	return setmetatable({message = message}, FAILURE)
end

-- The learner's answer is wrong: MESSAGE (Markdown) is their feedback.
local function fail(message)
	if type(message) ~= "string" then
		message = "The check failed."
	end
	error(failure(message), 0)
end

-- The check uses the API wrongly: a bug in the lesson ("check error").
local function misuse(message)
	error(setmetatable({message = check_where() .. message}, MISUSE), 0)
end

-- TEXT as a Markdown code span, whatever backticks it holds.
local function code(text)
	local longest = 0
	for run in sgmatch(text, "`+") do
		if #run > longest then longest = #run end
	end
	local fence = srep("`", longest + 1)
	local pad = (ssub(text, 1, 1) == "`" or ssub(text, -1) == "`") and " " or ""
	return fence .. pad .. text .. pad .. fence
end

-- A value for feedback: safely described, as code.
local function show(v)
	return code(describe(v))
end

------------------------------------------------------------------------
-- Comparing

local MAX_NESTING = 100

-- Deep equality with raw operations: same type, numbers by value (an
-- integer equals the float of the same value; NaN equals NaN), strings by
-- content, tables by their raw keys and values, anything else by identity.
local function same(a, b, seen, depth)
	if rawequal(a, b) then return true end
	local ta = type(a)
	if ta ~= type(b) then return false end
	if ta == "number" then
		return a == b or (a ~= a and b ~= b)
	end
	if ta ~= "table" then return false end
	depth = (depth or 0) + 1
	if depth > MAX_NESTING then return false end
	seen = seen or {}
	local pair = seen[a]
	if pair ~= nil and rawequal(pair, b) then return true end -- a cycle
	seen[a] = b
	for k, v in next, a do
		local w = rawget(b, k)
		if rawequal(w, nil) or not same(v, w, seen, depth) then return false end
	end
	for k in next, b do
		if rawequal(rawget(a, k), nil) then return false end
	end
	return true
end

-- A copy of a generated value, so that code under test cannot change the
-- case it is shown (tables are copied raw; anything else is shared).
local function copy(v, depth)
	if type(v) ~= "table" or (depth or 0) > MAX_NESTING then return v end
	local t = {}
	for k, x in next, v do
		rawset(t, k, copy(x, (depth or 0) + 1))
	end
	return t
end

------------------------------------------------------------------------
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

------------------------------------------------------------------------
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

local function new_rng(seed)
	if mtype(seed) ~= "integer" then
		seed = mtype(seed) == "float" and floor(seed) or misuse("rng.new: the seed must be a number")
	end
	return setmetatable({state = mix(seed + GOLDEN)}, Rng)
end
Rng.new = new_rng

function Rng:next64()
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
	return new_rng(self:next64())
end

------------------------------------------------------------------------
-- expect(value [, label])

local Expect = {}
Expect.__index = Expect

local function expect(value, label)
	if label ~= nil and type(label) ~= "string" then
		misuse("expect: the label must be a string")
	end
	return setmetatable({value = value, label = label}, Expect)
end

-- Fails with MSG if the author gave one, else with the generated TEXT
-- (a sentence without its capital, e.g. "expected `5`, got `4`").
local function failed(e, msg, text)
	if msg ~= nil then
		if type(msg) ~= "string" then misuse("the message must be a string") end
		fail(msg)
	end
	if e.label then
		fail(e.label .. ": " .. text .. ".")
	end
	fail(supper(ssub(text, 1, 1)) .. ssub(text, 2) .. ".")
end

local function derived(e, value, suffix)
	return setmetatable({value = value, label = e.label and suffix and e.label .. suffix or e.label},
		Expect)
end

local TYPES = {
	["nil"] = true, number = true, string = true, boolean = true, table = true,
	["function"] = true, thread = true, userdata = true, integer = true, float = true,
}

local function a_type(v)
	local t = type(v)
	if t == "number" then return mtype(v) == "integer" and "an integer" or "a number" end
	return t == "nil" and "nil" or "a " .. t
end

local function number_or_fail(e, msg, what)
	if type(e.value) ~= "number" then
		failed(e, msg, sformat("expected a number %s, got %s", what, show(e.value)))
	end
	return e.value
end

local function text_or_fail(e, msg)
	if type(e.value) ~= "string" then
		failed(e, msg, "expected text, got " .. show(e.value))
	end
	return e.value
end

function Expect:equals(want, msg)
	if not same(self.value, want) then
		failed(self, msg, sformat("expected %s, got %s", show(want), show(self.value)))
	end
	return self
end

function Expect:not_equals(other, msg)
	if same(self.value, other) then
		failed(self, msg, "expected something other than " .. show(other))
	end
	return self
end

-- TOL: an absolute tolerance, or a string "N%" relative to WANT.
-- The default is a relative 1e-9.
function Expect:near(want, tol, msg)
	if type(want) ~= "number" then misuse("near: the expected value must be a number") end
	local margin
	if tol == nil then
		margin = 1e-9 * (abs(want) > 1 and abs(want) or 1)
	elseif type(tol) == "number" and tol >= 0 then
		margin = tol
	elseif type(tol) == "string" and smatch(tol, "^%s*[%d.]+%s*%%%s*$") then
		margin = abs(want) * tonumber(smatch(tol, "[%d.]+")) / 100
	else
		misuse("near: the tolerance must be a number or a percentage like \"5%\"")
	end
	local got = number_or_fail(self, msg, "near " .. show(want))
	if not (abs(got - want) <= margin) then
		local tol_text = type(tol) == "string" and trim(tol) or describe(margin)
		failed(self, msg, sformat("expected %s (± %s), got %s", show(want), tol_text, show(got)))
	end
	return self
end

function Expect:matches(pattern, msg)
	if type(pattern) ~= "string" then misuse("matches: the pattern must be a string") end
	local got = self.value
	if type(got) ~= "string" then
		failed(self, msg, sformat("expected text matching %s, got %s", code(pattern), show(got)))
	end
	local ok, found = pcall(sfind, got, pattern)
	if not ok then misuse("matches: bad pattern " .. code(pattern) .. ": " .. tostring(found)) end
	if not found then
		failed(self, msg, sformat("expected text matching %s, got %s", code(pattern), show(got)))
	end
	return self
end

-- Text: contains NEEDLE as plain text. A table: has a value equal to NEEDLE.
function Expect:contains(needle, msg)
	local got = self.value
	if type(got) == "string" then
		if type(needle) ~= "string" then misuse("contains: text can only contain text") end
		if not sfind(got, needle, 1, true) then
			failed(self, msg, sformat("expected text containing %s, got %s", show(needle), show(got)))
		end
	elseif type(got) == "table" then
		for _, v in next, got do
			if same(v, needle) then return self end
		end
		failed(self, msg, sformat("expected a table containing %s, got %s", show(needle), show(got)))
	else
		failed(self, msg, sformat("expected text or a table containing %s, got %s", show(needle),
			show(got)))
	end
	return self
end

-- T: a type() name, or "integer" / "float".
function Expect:is_type(t, msg)
	if not TYPES[t] then misuse("is_type: unknown type " .. show(t)) end
	local got = self.value
	local ok = type(got) == t or (type(got) == "number" and mtype(got) == t)
	if not ok then
		local article = t == "integer" and "an " or "a "
		local kind = rawequal(got, nil) and "" or " (" .. a_type(got) .. ")"
		failed(self, msg, sformat("expected %s%s, got %s%s", article, t, show(got), kind))
	end
	return self
end

function Expect:is_true(msg)
	if not self.value then
		failed(self, msg, "expected a true value, got " .. show(self.value))
	end
	return self
end

function Expect:is_false(msg)
	if self.value then
		failed(self, msg, "expected false or nil, got " .. show(self.value))
	end
	return self
end

function Expect:is_nil(msg)
	if not rawequal(self.value, nil) then
		failed(self, msg, "expected nil, got " .. show(self.value))
	end
	return self
end

function Expect:not_nil(msg)
	if rawequal(self.value, nil) then
		failed(self, msg, "expected a value, got nil")
	end
	return self
end

function Expect:at_least(low, msg)
	if type(low) ~= "number" then misuse("at_least: the bound must be a number") end
	local got = number_or_fail(self, msg, "of at least " .. show(low))
	if not (got >= low) then
		failed(self, msg, sformat("expected at least %s, got %s", show(low), show(got)))
	end
	return self
end

function Expect:at_most(high, msg)
	if type(high) ~= "number" then misuse("at_most: the bound must be a number") end
	local got = number_or_fail(self, msg, "of at most " .. show(high))
	if not (got <= high) then
		failed(self, msg, sformat("expected at most %s, got %s", show(high), show(got)))
	end
	return self
end

function Expect:between(low, high, msg)
	if type(low) ~= "number" or type(high) ~= "number" then
		misuse("between: the bounds must be numbers")
	end
	local got = number_or_fail(self, msg, sformat("between %s and %s", show(low), show(high)))
	if not (got >= low and got <= high) then
		failed(self, msg, sformat("expected a number between %s and %s, got %s", show(low),
			show(high), show(got)))
	end
	return self
end

-- Text: its length in bytes. A table: its raw length (#, without __len).
function Expect:has_length(n, msg)
	if mtype(n) ~= "integer" then misuse("has_length: the length must be an integer") end
	local got = self.value
	if type(got) ~= "string" and type(got) ~= "table" then
		failed(self, msg, sformat("expected text or a table of length %d, got %s", n, show(got)))
	end
	local len = rawlen(got)
	if len ~= n then
		failed(self, msg, sformat("expected length %d, got length %d: %s", n, len, show(got)))
	end
	return self
end

function Expect:one_of(options, msg)
	if type(options) ~= "table" then misuse("one_of: the options must be a list") end
	for i = 1, rawlen(options) do
		if same(self.value, rawget(options, i)) then return self end
	end
	failed(self, msg, sformat("expected one of %s, got %s", show(options), show(self.value)))
end

-- PRED(value) must return a true value. WHAT says what it checks.
function Expect:satisfies(pred, what)
	if type(pred) ~= "function" then misuse("satisfies: expected a function") end
	if not pred(self.value) then
		if what ~= nil and type(what) ~= "string" then misuse("satisfies: WHAT must be a string") end
		failed(self, nil, sformat("%s %s", show(self.value), what or "does not satisfy the check"))
	end
	return self
end

local function error_text(err)
	if type(err) == "string" then return err end
	if type(err) == "table" and rawequal(engine.metatable(err), FAILURE) then
		return rawget(err, "message")
	end
	return "an error object " .. describe(err)
end

-- The value is a function; calling it must raise an error (whose message,
-- if PATTERN is given, matches it). Returns an expectation on the message.
function Expect:fails(pattern, msg)
	local f = self.value
	if not callable(f) then
		failed(self, msg, "expected a function that raises an error, got " .. show(f))
	end
	local ok, info = xpcall(f, blame)
	if ok then
		failed(self, msg, "expected an error, but it returned " .. show(info))
	end
	if type(info) ~= "table" then info = {kind = "learner", value = info} end
	if info.kind == "misuse" then misuse(info.text) end
	local text = error_text(info.value)
	if pattern ~= nil then
		if type(pattern) ~= "string" then misuse("fails: the pattern must be a string") end
		if not sfind(text, pattern) then
			failed(self, msg, sformat("expected an error matching %s, got %s", code(pattern), code(text)))
		end
	end
	return derived(self, text, " (error)")
end

-- The value is a function; calling it must not raise. Returns an
-- expectation on its first result.
function Expect:succeeds(msg)
	local f = self.value
	if not callable(f) then failed(self, msg, "expected a function, got " .. show(f)) end
	local ok, info = xpcall(f, blame)
	if not ok then
		if type(info) ~= "table" then info = {kind = "learner", value = info} end
		if info.kind == "misuse" then misuse(info.text) end
		failed(self, msg, "expected no error, got " .. code(error_text(info.value)))
	end
	return derived(self, info)
end

-- Transformations: each returns a new expectation on the changed value.
function Expect:trim(msg) return derived(self, trim(text_or_fail(self, msg))) end
function Expect:squish(msg) return derived(self, squish(text_or_fail(self, msg))) end
function Expect:fold(msg) return derived(self, fold(text_or_fail(self, msg))) end
Expect.lower = Expect.fold
function Expect:normalized(msg) return derived(self, normalize(text_or_fail(self, msg))) end

-- The value read as a number, in UNIT if given (see quantity()).
function Expect:number(unit, msg)
	local v = self.value
	if type(v) == "number" and unit == nil then return self end
	local n, why = quantity(v, unit)
	if not n then
		local what = unit and "a number of " .. unit or "a number"
		failed(self, msg, sformat("expected %s, got %s (%s)", what, show(v), why))
	end
	return derived(self, n)
end

-- The raw field KEY of a table value.
function Expect:field(key, msg)
	local t = self.value
	if type(t) ~= "table" then
		failed(self, msg, sformat("expected a table with a field %s, got %s", show(key), show(t)))
	end
	local label = self.label or "the value"
	if type(key) == "string" and smatch(key, "^[%a_][%w_]*$") then
		label = label .. "." .. key
	else
		label = label .. "[" .. describe(key) .. "]"
	end
	return setmetatable({value = rawget(t, key), label = label}, Expect)
end

------------------------------------------------------------------------
-- Calling code under test

local function pack(...)
	return {n = select("#", ...), ...}
end

-- Calls F(...) protected. Returns an outcome: {ok = true, n, values...} or
-- {ok = false, text = message, kind = who raised}.
local function outcome_of(f, args)
	local r = pack(xpcall(f, blame, tunpack(args, 1, args.n)))
	if r[1] then
		local o = {ok = true, n = r.n - 1}
		for i = 2, r.n do o[i - 1] = r[i] end
		while o.n > 0 and rawequal(o[o.n], nil) do o.n = o.n - 1 end
		return o
	end
	local info = r[2]
	if type(info) ~= "table" then
		return {ok = false, text = error_text(info), kind = "learner"}
	end
	return {ok = false, text = error_text(info.value), kind = info.kind, info = info}
end

-- try(f, ...): true and the results, or false and the error as text.
local function try(f, ...)
	local o = outcome_of(f, pack(...))
	if not o.ok then
		if o.kind == "misuse" then misuse(o.info.text) end
		return false, o.text
	end
	return true, tunpack(o, 1, o.n)
end

local function outcome_text(o)
	if not o.ok then return "raised " .. code(o.text) end
	if o.n == 0 then return "returned " .. show(nil) end
	local parts = {}
	for i = 1, o.n do parts[i] = show(o[i]) end
	return "returned " .. tconcat(parts, ", ")
end

local function agree(got, want, compare)
	if got.ok ~= want.ok then return false end
	if not got.ok then return true end -- both raised
	if compare then return compare(got, want) end
	if got.n ~= want.n then return false end
	for i = 1, got.n do
		if not same(got[i], want[i]) then return false end
	end
	return true
end

local function call_text(name, args)
	local parts = {}
	for i = 1, args.n do parts[i] = describe(args[i]) end
	return name .. "(" .. tconcat(parts, ", ") .. ")"
end

local function copy_args(args)
	local c = {n = args.n}
	for i = 1, args.n do c[i] = copy(args[i]) end
	return c
end

------------------------------------------------------------------------
-- Partial credit

local function credit(k, n)
	if mtype(k) ~= "integer" or mtype(n) ~= "integer" or n <= 0 or k < 0 or k > n then
		misuse("credit(k, n): need integers with 0 <= k <= n and n > 0")
	end
	record_credit(k, n)
end

------------------------------------------------------------------------
-- differential{...} and property{...}

local runs = 0 -- how many case loops this check started (each gets its own stream)

local function case_rng(run, i)
	return new_rng(mix(SEED + GOLDEN * run) ~ mix(i))
end

-- Runs CASES cases of RUN_CASE(rng, i), which returns nil when the case
-- passes and a failure text otherwise. Stops at the first failure unless
-- PARTIAL, and then records k of n as the credit.
local function run_cases(spec, run_case)
	local n = spec.cases or 100
	if mtype(n) ~= "integer" or n < 1 then misuse("cases must be a positive integer") end
	runs = runs + 1
	local run, passed, first = runs, 0, nil
	for i = 1, n do
		local text = run_case(case_rng(run, i), i)
		if text then
			first = first or sformat("%s (case %d of %d, seed %d).", text, i, n, SEED)
			if not spec.partial then break end
		else
			passed = passed + 1
		end
	end
	if spec.partial then credit(passed, n) end
	if first then fail(first) end
end

local function ops_list(ops)
	if type(ops) ~= "table" then misuse("differential: ops must be a table") end
	local list = {}
	if rawlen(ops) > 0 then
		for i = 1, rawlen(ops) do
			local op = ops[i]
			if type(op) ~= "table" or type(op[1]) ~= "string" or type(op[2]) ~= "function" then
				misuse("differential: each op is {\"name\", function(rng) return args end [, weight]}")
			end
			list[#list + 1] = {name = op[1], gen = op[2], weight = op[3] or 1}
		end
	else
		local names = {}
		for name in next, ops do names[#names + 1] = name end
		tsort(names)
		for _, name in next, names do
			if type(ops[name]) ~= "function" then
				misuse("differential: ops." .. name .. " must be a function(rng) returning arguments")
			end
			list[#list + 1] = {name = name, gen = ops[name], weight = 1}
		end
	end
	if #list == 0 then misuse("differential: no ops") end
	return list
end

local function pick_op(list, r)
	local total = 0
	for _, op in next, list do total = total + op.weight end
	local x = r:float() * total
	for _, op in next, list do
		x = x - op.weight
		if x < 0 then return op end
	end
	return list[#list]
end

-- Calls method NAME of OBJ: an outcome, or a "no such method" one.
local function call_method(obj, name, args)
	local ok, m = xpcall(function() return obj[name] end, blame)
	if not ok then
		local text = type(m) == "table" and error_text(m.value) or error_text(m)
		return {ok = false, text = text, kind = "learner"}
	end
	if not callable(m) then
		return {ok = false, text = "there is no method " .. name, kind = "learner", missing = true}
	end
	local full = {n = args.n + 1, obj}
	for i = 1, args.n do full[i + 1] = args[i] end
	return outcome_of(m, full)
end

-- Builds the subject and the reference of one case and plays OPS on both.
-- Returns nil if they agree throughout, else {upto = index of the failing
-- op (0: construction), text = what went wrong}.
local function play(spec, setup, ops)
	local made = outcome_of(spec.subject, copy_args(setup))
	local new_text = call_text(spec.name or "new", setup)
	if not made.ok then
		return {upto = 0, text = code(new_text) .. " " .. outcome_text(made)}
	end
	local subject = made[1]
	if type(subject) ~= "table" and type(subject) ~= "userdata" then
		return {upto = 0, text = code(new_text) .. " returned " .. show(subject) .. ", not an object"}
	end
	local ref = outcome_of(spec.reference, copy_args(setup))
	if not ref.ok then misuse("differential: the reference could not be made: " .. ref.text) end
	local reference = ref[1]
	for j = 1, #ops do
		local op = ops[j]
		local got = call_method(subject, op.name, copy_args(op.args))
		local want = call_method(reference, op.name, copy_args(op.args))
		if want.missing then misuse("differential: the reference has no method " .. op.name) end
		if want.kind == "misuse" then misuse(want.info.text) end
		if not agree(got, want, spec.compare) then
			return {upto = j, got = got, want = want}
		end
	end
	return nil
end

local function history_text(spec, setup, ops, upto)
	local calls = {}
	if spec.setup then calls[1] = code(call_text(spec.name or "new", setup)) end
	for j = 1, upto - 1 do calls[#calls + 1] = code(call_text(ops[j].name, ops[j].args)) end
	if #calls > 12 then
		local short = {calls[1], calls[2], calls[3], sformat("… (%d more) …", #calls - 11)}
		for j = #calls - 7, #calls do short[#short + 1] = calls[j] end
		calls = short
	end
	if #calls == 0 then return "" end
	return "after " .. tconcat(calls, ", ") .. ", "
end

local function mismatch_text(spec, setup, ops, m)
	if m.upto == 0 then return m.text end
	local op = ops[m.upto]
	local text = history_text(spec, setup, ops, m.upto) .. code(call_text(op.name, op.args)) .. " "
		.. outcome_text(m.got) .. "; the reference " .. outcome_text(m.want)
	return supper(ssub(text, 1, 1)) .. ssub(text, 2)
end

-- Drops ops one at a time while the case still fails: the shortest
-- failing sequence found, and its mismatch.
local function shrink(spec, setup, ops, m)
	local cur = {}
	for j = 1, m.upto do cur[j] = ops[j] end
	local budget, i = 200, 1
	while i <= #cur and budget > 0 do
		local candidate = {}
		for j = 1, #cur do
			if j ~= i then candidate[#candidate + 1] = cur[j] end
		end
		budget = budget - 1
		local m2 = play(spec, setup, candidate)
		if m2 and m2.upto > 0 then
			cur, m = {}, m2
			for j = 1, m2.upto do cur[j] = candidate[j] end
		else
			i = i + 1
		end
	end
	return cur, m
end

local function differential_objects(spec)
	local list = ops_list(spec.ops)
	local steps = spec.steps or 20
	if mtype(steps) ~= "integer" or steps < 1 then misuse("differential: steps must be a positive integer") end
	if type(spec.reference) ~= "function" then
		misuse("differential: reference must be a function making the reference object")
	end
	if not callable(spec.subject) then
		fail(sformat("%s is not a function (it is %s).", code(spec.name or "new"), show(spec.subject)))
	end
	run_cases(spec, function(r)
		local setup = spec.setup and pack(spec.setup(r)) or {n = 0}
		local ops = {}
		for j = 1, steps do
			local op = pick_op(list, r)
			ops[j] = {name = op.name, args = pack(op.gen(r))}
		end
		local m = play(spec, setup, ops)
		if not m then return nil end
		if m.upto > 0 and spec.shrink ~= false then ops, m = shrink(spec, setup, ops, m) end
		return mismatch_text(spec, setup, ops, m)
	end)
end

local function differential_function(spec)
	if type(spec.input) ~= "function" then
		misuse("differential: input must be a function(rng) returning the arguments")
	end
	if not callable(spec.reference) then misuse("differential: reference must be a function") end
	local name = spec.name or "f"
	if not callable(spec.subject) then
		fail(sformat("%s is not a function (it is %s).", code(name), show(spec.subject)))
	end
	run_cases(spec, function(r)
		local args = pack(spec.input(r))
		local got = outcome_of(spec.subject, copy_args(args))
		local want = outcome_of(spec.reference, copy_args(args))
		if want.kind == "misuse" then misuse(want.info.text) end
		if agree(got, want, spec.compare) then return nil end
		return code(call_text(name, args)) .. " " .. outcome_text(got) .. "; the reference "
			.. outcome_text(want)
	end)
end

local function differential(spec)
	if type(spec) ~= "table" then misuse("differential{...}: expected a table of options") end
	if spec.ops ~= nil then
		differential_objects(spec)
	else
		differential_function(spec)
	end
end

-- property{input = function(rng) return args end, holds = function(...) end}:
-- HOLDS must return a true value (or use expect) for every case.
local function property(spec)
	if type(spec) ~= "table" then misuse("property{...}: expected a table of options") end
	if type(spec.input) ~= "function" or type(spec.holds) ~= "function" then
		misuse("property: needs input = function(rng) and holds = function(...)")
	end
	run_cases(spec, function(r)
		local args = pack(spec.input(r))
		local o = outcome_of(spec.holds, copy_args(args))
		local input = code(ssub(call_text("", args), 2, -2))
		if o.ok then
			if o.n > 0 and o[1] then return nil end
			return "For input " .. input .. ", the property does not hold"
		end
		if o.kind == "misuse" then misuse(o.info.text) end
		if o.kind == "failure" or o.kind == "deliberate" then return "For input " .. input .. ": " .. o.text end
		return "For input " .. input .. ", the code raised " .. code(o.text)
	end)
end

------------------------------------------------------------------------
-- The check's globals

env.expect = expect
env.fail = fail
env.credit = credit
env.describe = describe
env.show = show
env.same = same
env.try = try
env.trim = trim
env.squish = squish
env.fold = fold
env.normalize = normalize
env.quantity = quantity
env.rng = new_rng(SEED)
env.differential = differential
env.property = property
env.printed = learner_output
