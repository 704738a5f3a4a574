-- tests/lib/harness.lua — a tiny harness for Lua tests of the lab library.
-- Loaded before each tests/**/*_test.lua file; prints "ok NAME" or
-- "not ok NAME" with the failure indented, like the C harness.
--
--   test("cache/evicts_lru", function()
--     eq(c:put("d", 4), "a")
--     near(x, 0.5, 0.01)
--     raises(function() lab.cache.new{} end, "capacity")
--   end)

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function eq(got, want, msg)
  if got ~= want then
    error(string.format("%sgot %s, want %s", msg and (msg .. ": ") or "",
      describe(got), describe(want)), 2)
  end
end

function near(got, want, tol, msg)
  if type(got) ~= "number" or math.abs(got - want) > tol then
    error(string.format("%sgot %s, want %s within %s", msg and (msg .. ": ") or "",
      describe(got), describe(want), describe(tol)), 2)
  end
end

function truthy(v, msg)
  if not v then error(msg or "expected a true value", 2) end
end

function raises(fn, pattern)
  local ok, err = pcall(fn)
  if ok then error("expected an error" .. (pattern and (" matching " .. pattern) or ""), 2) end
  if pattern and not tostring(err):find(pattern) then
    error(string.format("error %s does not match %s", describe(tostring(err)), describe(pattern)), 2)
  end
end

-- same contents, compared structurally (tables by keys and values)
function same(got, want, msg, path)
  path = path or "value"
  if type(got) ~= type(want) then
    error(string.format("%s%s: got %s, want %s", msg and (msg .. ": ") or "", path,
      describe(got), describe(want)), 2)
  end
  if type(got) ~= "table" then
    if got ~= want then
      error(string.format("%s%s: got %s, want %s", msg and (msg .. ": ") or "", path,
        describe(got), describe(want)), 2)
    end
    return
  end
  for k, v in pairs(want) do same(got[k], v, msg, path .. "." .. tostring(k)) end
  for k in pairs(got) do
    if want[k] == nil then
      error(string.format("%s%s.%s: unexpected %s", msg and (msg .. ": ") or "", path,
        tostring(k), describe(got[k])), 2)
    end
  end
end

function test(name, fn)
  local ok, err = pcall(fn)
  if ok then
    print("ok " .. name)
  else
    print("not ok " .. name)
    print("    " .. tostring(err))
  end
end
