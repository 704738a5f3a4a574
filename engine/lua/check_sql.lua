-- check_sql.lua — same_query{}: grading an SQL query by its result on a
-- dataset of lab.sql and on another seed of it (see check.lua).
--
--   same_query{query = submission, reference = "SELECT ...", dataset = "shop"}
--
-- Both queries run on the dataset (seed 1, the one learners explore) and on
-- the same dataset built with another seed, derived from the attempt's
-- seed: a query that only fits the rows the learner saw (a hard-coded id or
-- count) fails there. Results are compared as sets of rows (a bag: each row
-- as often as it appears) unless `ordered` says the order matters; column
-- names must match; numbers compare by value (an integer equals the same
-- float, floats within a relative 1e-9). The first difference is told in
-- words.
local env, engine, lib = ...

local type, next, pcall, tostring = type, next, pcall, tostring
local rawget, rawlen = rawget, rawlen
local mtype, abs, floor = math.type, math.abs, math.floor
local sformat = string.format
local tconcat, tsort = table.concat, table.sort
local describe = engine.describe
local SEED = engine.seed
local fail, misuse, code, show = lib.fail, lib.misuse, lib.code, lib.show

local lab = env.lab
local open = lab and lab.sql and lab.sql.open

-- The datasets opened so far by this check, by name and seed: queries are
-- read-only, so one connection serves every same_query{} of the check.
local opened = {}
local function dataset_db(name, seed)
	local key = name .. "#" .. tostring(seed)
	if not opened[key] then
		local ok, db = pcall(open, name, {seed = seed})
		if not ok then misuse("same_query: cannot open dataset " .. describe(name) .. ": " .. tostring(db)) end
		opened[key] = db
	end
	return opened[key]
end

-- A value as a sort key: numbers by value (integral floats as integers),
-- strings quoted, so that equal rows get equal keys.
local function value_key(v)
	if type(v) == "number" then
		if v == floor(v) and abs(v) < 2^53 then return sformat("%d", floor(v)) end
		return sformat("%.9g", v)
	end
	if type(v) == "string" then return sformat("%q", v) end
	return "nil"
end

local function row_key(row, names)
	local parts = {}
	for i = 1, #names do parts[i] = value_key(rawget(row, names[i])) end
	return tconcat(parts, "\31")
end

local function near_same(a, b)
	if type(a) == "number" and type(b) == "number" then
		if a == b then return true end
		if mtype(a) == "integer" and mtype(b) == "integer" then return false end
		return abs(a - b) <= 1e-9 * math.max(1, abs(a), abs(b))
	end
	return a == b
end

local function rows_same(x, y, names)
	for i = 1, #names do
		if not near_same(rawget(x, names[i]), rawget(y, names[i])) then return false end
	end
	return true
end

local function sorted_names(rows)
	local names = {}
	local cols = rawget(rows, "columns") or {}
	for i = 1, rawlen(cols) do names[i] = cols[i] end
	tsort(names)
	return names
end

local function plural(n, word)
	return sformat("%d %s%s", n, word, n == 1 and "" or "s")
end

-- The first difference between GOT and WANT (lists of rows), as a sentence,
-- or nil if they hold the same rows.
local function difference(got, want, names, ordered)
	local ng, nw = rawlen(got), rawlen(want)
	if ordered then
		for i = 1, math.min(ng, nw) do
			if not rows_same(got[i], want[i], names) then
				return sformat("Row %d of your result is %s; the expected row %d is %s.",
					i, show(got[i]), i, show(want[i]))
			end
		end
		if ng ~= nw then
			local extra = ng > nw and sformat(" Your row %d is %s.", nw + 1, show(got[nw + 1]))
				or sformat(" The expected row %d is %s.", ng + 1, show(want[ng + 1]))
			return sformat("Your query returned %s; the expected result has %s.%s",
				plural(ng, "row"), plural(nw, "row"), extra)
		end
		return nil
	end
	-- as bags: sort both by key and walk them together
	local function keyed(rows)
		local list = {}
		for i = 1, rawlen(rows) do list[i] = {key = row_key(rows[i], names), row = rows[i]} end
		tsort(list, function(a, b) return a.key < b.key end)
		return list
	end
	local g, w = keyed(got), keyed(want)
	local i, j = 1, 1
	while i <= #g or j <= #w do
		local a, b = g[i], w[j]
		if a and b and (a.key == b.key or rows_same(a.row, b.row, names)) then
			i, j = i + 1, j + 1
		else
			local counts = ng ~= nw and sformat(" (your query returned %s; the expected result has %s)",
				plural(ng, "row"), plural(nw, "row")) or ""
			if b and (not a or b.key < a.key) then
				return sformat("Your result is missing the row %s%s.", show(b.row), counts)
			end
			return sformat("Your result has the row %s, which the expected result does not%s.",
				show(a.row), counts)
		end
	end
	return nil
end

local function column_list(rows)
	local cols = rawget(rows, "columns") or {}
	local parts = {}
	for i = 1, rawlen(cols) do parts[i] = cols[i] end
	return tconcat(parts, ", ")
end

local function same_columns(a, b)
	if #a ~= #b then return false end
	for i = 1, #a do if a[i] ~= b[i] then return false end end
	return true
end

local function same_query(spec)
	if type(spec) ~= "table" then misuse("same_query{...}: give a table of options") end
	for k in next, spec do
		if k ~= "query" and k ~= "reference" and k ~= "dataset" and k ~= "ordered" and
			k ~= "params" and k ~= "seeds" then
			misuse("same_query: unknown option " .. describe(k))
		end
	end
	local reference, dataset = rawget(spec, "reference"), rawget(spec, "dataset")
	if type(reference) ~= "string" then misuse("same_query: reference must be the right query (a string)") end
	if type(dataset) ~= "string" then misuse("same_query: dataset must name a dataset of lab.sql") end
	if not open then misuse("same_query: lab.sql is not available") end
	local params = rawget(spec, "params") or {}
	if type(params) ~= "table" then misuse("same_query: params must be a list") end
	local seeds = rawget(spec, "seeds") or {1, 2 + SEED % 999983}
	if type(seeds) ~= "table" or rawlen(seeds) < 1 then misuse("same_query: seeds must be a list") end
	local query = rawget(spec, "query")
	if type(query) ~= "string" then
		fail("Your file must return the query as a string, for example " ..
			"`return [[SELECT name FROM customers]]`; it returned " .. show(query) .. ".")
	end
	local ordered = rawget(spec, "ordered") and true or false
	local np = rawlen(params)

	for s = 1, rawlen(seeds) do
		local seed = seeds[s]
		local db = dataset_db(dataset, seed)
		local where = s == 1 and sformat("On the `%s` dataset", dataset)
			or sformat("On another `%s` dataset with the same tables and other rows (seed %d)",
				dataset, seed)
		local okr, ro = pcall(db.readonly, db, reference)
		if not okr or not ro then
			misuse("same_query: the reference must be one statement that only reads" ..
				(okr and "" or ": " .. tostring(ro)))
		end
		local okw, want = pcall(db.query, db, reference, table.unpack(params, 1, np))
		if not okw then misuse("same_query: the reference query fails: " .. tostring(want)) end
		local okq, qro = pcall(db.readonly, db, query)
		if okq and not qro then
			fail("Your statement changes the database: a query only reads " ..
				"(`SELECT ...` or `WITH ... SELECT ...`).")
		end
		local okg, got = pcall(db.query, db, query, table.unpack(params, 1, np))
		if not okg then
			local msg = tostring(got):gsub("^db:query: ", "")
			fail(sformat("%s, your query fails: %s", where, code(msg)))
		end
		local gn, wn = sorted_names(got), sorted_names(want)
		if not same_columns(gn, wn) then
			fail(sformat("Your query returns the columns %s; the expected result has %s. " ..
				"Name them with `AS` if you need to.", code(column_list(got)),
				code(column_list(want))))
		end
		local diff = difference(got, want, wn, ordered)
		if diff then
			local hint = ""
			if s > 1 then
				hint = " It gives the right rows on the dataset you explored, so it depends on " ..
					"those particular rows: look for an id, a count or a value written into the " ..
					"query instead of computed from the tables."
			end
			fail(sformat("%s: %s%s", where, diff, hint))
		end
	end
end

env.same_query = same_query
