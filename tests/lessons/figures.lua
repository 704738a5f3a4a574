-- tests/lessons/figures.lua — pin the numbers a lesson's prose quotes from
-- its own examples. Loaded by the tests/lessons/*_figures_test.lua files
-- (after tests/lib/harness.lua):
--
--   local L = lesson("lessons/05-caching/09-stampede.md")
--   local out = L:run(1)            -- example [1], in the lesson's session
--   L:says("392 calls")             -- the prose quotes this ...
--   eq(L.env.q.calls, 392)          -- ... and the run produces it
--
-- Examples run in order in one environment, as in the REPL (globals stay),
-- with `print` captured; L:run returns what the example printed. Prose is
-- the text outside fenced code blocks, plus the hints, whitespace collapsed,
-- so a quote may span a line break.

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local Lesson = {}
Lesson.__index = Lesson

function lesson(path)
  local text = read(path)
  local examples, prose, fence, info, body = {}, {}, nil, nil, nil
  for line in (text .. "\n"):gmatch("(.-)\n") do
    if fence then
      if line:match("^" .. fence .. "%s*$") then
        if info == "lua" then examples[#examples + 1] = table.concat(body, "\n") end
        if info == "hint" then prose[#prose + 1] = table.concat(body, " ") end
        fence = nil
      else
        body[#body + 1] = line
      end
    else
      local f, i = line:match("^(```+)%s*(.-)%s*$")
      if not f then f, i = line:match("^(~~~+)%s*(.-)%s*$") end
      if f then
        fence, info, body = f, i, {}
      else
        prose[#prose + 1] = line
      end
    end
  end
  local out = {}
  local env = setmetatable({}, {__index = _G})
  env.print = function(...)
    local t = table.pack(...)
    for k = 1, t.n do t[k] = tostring(t[k]) end
    out[#out + 1] = table.concat(t, "\t", 1, t.n)
  end
  env._G = env
  local prose_text = table.concat(prose, " "):gsub("%s+", " ")
  return setmetatable({path = path, examples = examples, env = env, out = out,
    prose = prose_text, ran = 0}, Lesson)
end

-- Runs examples up to I (those not yet run first, in order); returns what
-- example I printed (when it ran, even if that was before this call).
function Lesson:run(i)
  assert(self.examples[i], ("%s has no example [%d]"):format(self.path, i))
  self.printed = self.printed or {}
  while self.ran < i do
    self.ran = self.ran + 1
    local k = self.ran
    local fn = assert(load(self.examples[k], ("%s example [%d]"):format(self.path, k),
      "t", self.env))
    local mark = #self.out
    fn()
    self.printed[k] = table.concat(self.out, "\n", mark + 1)
  end
  return self.printed[i]
end

-- The prose quotes TEXT (whitespace-insensitive).
function Lesson:says(text)
  local want = text:gsub("%s+", " ")
  if not self.prose:find(want, 1, true) then
    error(("%s: the prose does not say %q"):format(self.path, want), 2)
  end
end

-- The number in S matched by PATTERN's first capture.
function grab(s, pattern)
  local v = s:match(pattern)
  if v == nil then error(("no %q in:\n%s"):format(pattern, s), 2) end
  return tonumber((v:gsub(",", "")))
end
