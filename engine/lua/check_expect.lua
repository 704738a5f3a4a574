-- check_expect.lua — expect(value [, label]) (see check.lua).
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
local fail, misuse, code, show = lib.fail, lib.misuse, lib.code, lib.show
local same, error_text = lib.same, lib.error_text
local trim, squish, fold, normalize = lib.trim, lib.squish, lib.fold, lib.normalize
local quantity, numbers, unreadable = lib.quantity, lib.numbers, lib.unreadable
local number_form_message, numbers_form_message = lib.number_form_message,
	lib.numbers_form_message
local TYPED, mark_read, shown = engine.typed, engine.read, lib.shown

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

-- Reading typed answers (check_answer.lua). In a typed-answer exercise,
-- text that cannot be read in the form asked for is not an attempt: the
-- check stops with unreadable(), whose message says the form (MSG, if the
-- author gave one). Elsewhere (a value from a submission) it is a failure.
-- Text that is read is marked as read (engine.read), so that the REPL
-- knows the check understood it even if it is wrong.
local function typed(e)
	return TYPED and type(e.value) == "string"
end

local function not_read(e, msg, text)
	if typed(e) then unreadable(msg or text) end
	failed(e, msg, text)
end

-- The value read as one quantity, in UNIT if given (see quantity()).
function Expect:number(unit, msg)
	local v = self.value
	if type(v) == "number" and unit == nil then return self end
	local n, why = quantity(v, unit)
	if not n then
		if typed(self) then unreadable(msg or number_form_message(v, unit, why)) end
		local what = unit and "a number of " .. unit or "a number"
		failed(self, msg, sformat("expected %s, got %s (%s)", what, show(v), why))
	end
	if typed(self) then mark_read() end
	return derived(self, n)
end

-- The value read as several numbers (COUNT of them, if given), in UNIT if
-- given (see numbers()). The new value is the list; .labels holds the
-- label before each number.
function Expect:numbers(count, unit, msg)
	if count ~= nil and (mtype(count) ~= "integer" or count < 1) then
		misuse("numbers: the count must be a positive integer")
	end
	local v = self.value
	local list, labels = numbers(v, unit, count)
	if not list then
		not_read(self, msg, numbers_form_message(v, unit, count, labels))
	end
	if typed(self) then mark_read() end
	local d = derived(self, list)
	d.labels = labels
	return d
end

-- The value (normalized) must be one of the words of LIST; without LIST,
-- any one word (letters, digits, - and _). The new value is the
-- normalized word.
function Expect:word(list, msg)
	if list ~= nil and type(list) ~= "table" then misuse("word: the list must be a table") end
	local v = text_or_fail(self, msg)
	local w = normalize(v)
	if list then
		for i = 1, rawlen(list) do
			local item = rawget(list, i)
			if type(item) ~= "string" then misuse("word: the list must hold strings") end
			if normalize(item) == w then
				if typed(self) then mark_read() end
				return derived(self, w)
			end
		end
		local names = {}
		for i = 1, rawlen(list) do names[i] = code(rawget(list, i)) end
		local last = names[#names]
		names[#names] = nil
		local choices = #names > 0 and tconcat(names, ", ") .. " or " .. last or last
		not_read(self, msg, sformat("Type one of %s: %s is not one of them.", choices,
			shown(v)))
	end
	if not smatch(w, "^[%w_%-]+$") then
		not_read(self, msg, sformat("Type one word: %s is not one.", shown(v)))
	end
	if typed(self) then mark_read() end
	return derived(self, w)
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

env.expect = expect
