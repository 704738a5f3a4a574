-- check_cases.lua — differential{} and property{}: many seeded cases (see check.lua).
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
local fail, misuse, code, show, same = lib.fail, lib.misuse, lib.code, lib.show, lib.same
local pack, outcome_of, outcome_text, agree = lib.pack, lib.outcome_of, lib.outcome_text, lib.agree
local outcome_of_method = lib.outcome_of_method
local call_text, copy_args, credit, error_text = lib.call_text, lib.copy_args, lib.credit,
	lib.error_text
local new_rng, mix, GOLDEN = lib.new_rng, lib.mix, lib.GOLDEN

-- differential{...} and property{...}

local runs = 0 -- how many case loops this check started (each gets its own stream)

local function case_rng(run, i)
	return new_rng(mix(SEED + GOLDEN * run) ~ mix(i), true)
end

-- Runs CASES cases of RUN_CASE(rng, i), which returns nil when the case
-- passes and a failure text otherwise. Stops at the first failure unless
-- PARTIAL, and then records k of n as the credit.
local function run_cases(spec, run_case)
	local n = spec.cases or 100
	if mtype(n) ~= "integer" or n < 1 then misuse("cases must be a positive integer") end
	runs = runs + 1
	engine.random_used()
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

-- A Lua error raised by the check's own code inside the reference (not a
-- deliberate error() of it, not a lab function refusing its arguments) is
-- a bug in the lesson, whatever the learner's code does.
local function reference_bug(want, call)
	if not want.ok and want.kind == "check" and want.info and want.info.in_check then
		misuse("differential: the reference raised an error on " .. call .. ": " .. want.text)
	end
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
local function index(obj, name) return obj[name] end

local function call_method(obj, name, args)
	local ok, m = xpcall(index, blame, obj, name)
	if not ok then
		local text = type(m) == "table" and error_text(m.value) or error_text(m)
		return {ok = false, text = text, kind = "learner"}
	end
	if not callable(m) then
		return {ok = false, text = "there is no method " .. name, kind = "learner", missing = true}
	end
	return outcome_of_method(m, obj, args)
end

-- Builds the subject and the reference of one case and plays OPS on both.
-- Returns nil if they agree throughout, else {upto = index of the failing
-- op (0: construction), text = what went wrong}.
local function play(spec, setup, ops)
	local made = outcome_of(spec.subject, copy_args(setup))
	if not made.ok then
		return {upto = 0, text = code(call_text(spec.name or "new", setup)) .. " " .. outcome_text(made)}
	end
	local subject = made[1]
	if type(subject) ~= "table" and type(subject) ~= "userdata" then
		return {upto = 0, text = code(call_text(spec.name or "new", setup)) .. " returned "
			.. show(subject) .. ", not an object"}
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
		reference_bug(want, code(call_text(op.name, op.args)))
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
		reference_bug(want, code(call_text(name, args)))
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
-- HOLDS must return a true value (or fail through expect) for every case.
-- Also spelled {args = ..., check = function(...) end}, where CHECK returns
-- nothing to pass and a message to fail.
local function property(spec)
	if type(spec) ~= "table" then misuse("property{...}: expected a table of options") end
	local input = spec.input or spec.args
	local test = spec.holds or spec.check
	if type(input) ~= "function" or type(test) ~= "function" or (spec.holds and spec.check) then
		misuse("property: needs input = function(rng) and holds = function(...)")
	end
	local says = spec.check ~= nil -- CHECK returns a message; HOLDS returns true
	run_cases(spec, function(r)
		local args = pack(input(r))
		local o = outcome_of(test, copy_args(args))
		local shown = code(ssub(call_text("", args), 2, -2))
		if o.ok then
			local v = o[1]
			if says and type(v) == "string" then return "For input " .. shown .. ": " .. v end
			if (says and o.n == 0) or (says and v == nil) or (not says and o.n > 0 and v) then
				return nil
			end
			return "For input " .. shown .. ", the property does not hold"
		end
		if o.kind == "misuse" then misuse(o.info.text) end
		if o.kind == "failure" or o.kind == "deliberate" then
			return "For input " .. shown .. ": " .. o.text
		end
		return "For input " .. shown .. ", the code raised " .. code(o.text)
	end)
end

env.differential = differential
env.property = property
