-- check.lua — the check API, loaded by the engine into every check
-- environment (never into the submission's). Documented for authors in
-- docs/authoring.md, section "Checks".
--
-- The API is five chunks, run in this order with the same arguments
-- (env, engine, lib): env is the check's environment; engine a table of
-- private helpers written in C (grade_check.c); lib a private table through
-- which the chunks share their helpers. Checks see neither engine nor lib.
--   check.lua          failing, comparing, calling code under test, credit
--   check_text.lua     text normalisation
--   check_answer.lua   reading typed answers: quantities with units, numbers, words
--   check_rng.lua      the seeded generator
--   check_expect.lua   expect()
--   check_cases.lua    differential{} and property{}
--   check_sql.lua      same_query{}: SQL graded on two datasets
--
-- Values under test may come from hostile code: every helper compares and
-- describes them with raw operations only (rawequal, next, rawget, rawlen,
-- type), never ==, #, ipairs, pairs, tostring or .. on them, so that no
-- metamethod of a submission can change a verdict.
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
local FAILURE, MISUSE = engine.failure, engine.misuse
local check_where, record_credit, learner_output = engine.where, engine.credit, engine.printed

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

-- The typed answer cannot be read as an answer to this question (no number
-- where a number is asked, a word outside the list...): MESSAGE says what
-- form is expected. Not an attempt: the engine does not record it. In a
-- code exercise it is a plain failure.
local function unreadable(message)
	if type(message) ~= "string" then
		message = "This answer cannot be read."
	end
	error(setmetatable({message = message, unreadable = true}, FAILURE), 0)
end

-- The check uses the API wrongly: a bug in the lesson ("check error").
local function misuse(message)
	error(setmetatable({message = check_where() .. message}, MISUSE), 0)
end

-- TEXT as a Markdown code span that renders as the text it is, whatever it
-- holds: learners' error messages and values go into feedback through here.
-- A fence longer than any run of backticks in it; line breaks shown as \n
-- (a line break could end the paragraph, and a following "# ..." line
-- become a heading of its own, outside the span); other control characters
-- as Lua escapes (\27 for ESC: terminal sequences are shown, not dropped).
local LINE_BREAKS = {["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\t"}
local function escape_control(c)
	return LINE_BREAKS[c] or ("\\" .. sbyte(c))
end
local function code(text)
	if type(text) ~= "string" then text = describe(text) end
	text = sgsub(sgsub(text, "\r\n", "\n"), "[\0-\31\127]", escape_control)
	if text == "" then return "` `" end
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
-- Errors as text

-- An error value as text: a string as is, a failure's message, or else a
-- safe description.
local function error_text(err)
	if type(err) == "string" then return err end
	if type(err) == "table" and rawequal(engine.metatable(err), FAILURE) then
		return rawget(err, "message")
	end
	return "an error object " .. describe(err)
end

------------------------------------------------------------------------
-- Calling code under test

local function pack(...)
	return {n = select("#", ...), ...}
end

-- Turns what xpcall returned into an outcome (one table: this runs for
-- every call a differential check makes).
local function finish(ok, ...)
	if ok then
		local n = select("#", ...)
		while n > 0 and rawequal((select(n, ...)), nil) do n = n - 1 end
		local o = {ok = true, ...}
		o.n = n
		return o
	end
	local info = ...
	if type(info) ~= "table" then
		return {ok = false, text = error_text(info), kind = "learner"}
	end
	return {ok = false, text = error_text(info.value), kind = info.kind, info = info}
end

-- Calls F(...) protected. Returns an outcome: {ok = true, n, values...} or
-- {ok = false, text = message, kind = who raised}.
local function outcome_of(f, args)
	return finish(xpcall(f, blame, tunpack(args, 1, args.n)))
end

-- The same for a method call OBJ:M(args...), without building a new list.
local function outcome_of_method(m, obj, args)
	return finish(xpcall(m, blame, obj, tunpack(args, 1, args.n)))
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

lib.fail, lib.misuse, lib.code, lib.show = fail, misuse, code, show
lib.unreadable = unreadable
lib.same, lib.copy, lib.error_text = same, copy, error_text
lib.pack, lib.outcome_of, lib.outcome_text, lib.agree = pack, outcome_of, outcome_text, agree
lib.outcome_of_method = outcome_of_method
lib.call_text, lib.copy_args, lib.credit = call_text, copy_args, credit

-- instructions(f, ...): what f(...) costs in instructions (Lua's, to within
-- 1000, plus the work library functions did for it: see sandbox.h), and its
-- results; a cost that is the same on every machine. Errors in f propagate.
local count = engine.instructions
local function instructions(f, ...)
	local before = count()
	local r = pack(f(...))
	return count() - before, tunpack(r, 1, r.n)
end

env.fail = fail
env.unreadable = unreadable
env.credit = credit
env.instructions = instructions
env.describe = describe
env.show = show
env.code = code
env.same = same
env.try = try
env.printed = learner_output

-- reload([n]): the learner's file loaded again, as another process would
-- load it: a fresh environment (the same view of lab), math.random seeded
-- apart (each n another seed; default 1). Returns the file's first value.
-- For checks of properties that must hold across processes: a decision
-- that depends on its input alone, not on state or random numbers.
local engine_reload = engine.reload
env.reload = function(n)
	if not engine_reload then
		misuse("`reload()` is for code exercises: there is no file to load again.")
	end
	if n ~= nil and mtype(n) ~= "integer" then
		misuse("`reload(n)`: n is an integer that picks the seed.")
	end
	return engine_reload(n or 1)
end
