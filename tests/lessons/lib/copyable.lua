-- tests/lessons/lib/copyable.lua — used by test_solutions_not_in_examples.sh.
-- A build exercise teaches nothing when a runnable example of its own
-- lesson already holds the answer: the learner copies it (review 1 found
-- lessons/08-traffic/07-hash-schemes.md's example [1] to be build-jump's
-- solution, verbatim). For every code exercise of every lesson in
-- LESSON_FILES, the lines of its solution that carry the logic
-- (comments, blank lines and bare `end`, `return X`, `local X = {}`
-- dropped; whitespace squeezed) must not mostly appear in one example:
-- at most half of them, or three, whichever is more.

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function logic_lines(code)
  local out = {}
  for line in (code .. "\n"):gmatch("(.-)\n") do
    line = line:gsub("%-%-.*$", ""):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    local trivial = #line < 12 or line:match("^end[%),]*$") or line:match("^return [%w_]+$")
      or line:match("^local [%w_]+ = {}$") or line:match("^[%w_]+%.__index = [%w_]+$")
    if not trivial then out[#out + 1] = line end
  end
  return out
end

-- The examples of PATH and its code exercises' solutions.
local function blocks(path)
  local examples, solutions, fence, info, body = {}, {}, nil, nil, nil
  local exercise, has_starter = nil, {}
  for line in (read(path) .. "\n"):gmatch("(.-)\n") do
    if fence then
      if line:match("^" .. fence .. "%s*$") then
        local text = table.concat(body, "\n")
        if info == "lua" then examples[#examples + 1] = text end
        if exercise and (info == "starter" or info == "lua starter") then has_starter[exercise] = true end
        if exercise and (info == "solution" or info == "lua solution") then solutions[exercise] = text end
        fence = nil
      else
        body[#body + 1] = line
      end
    else
      local f, i = line:match("^(```+)%s*(.-)%s*$")
      if f then
        fence, info, body = f, i, {}
      else
        local id = line:match("^##%s+Exercise:.-{#([%w_-]+)")
        if id then exercise = id elseif line:match("^##? ") then exercise = nil end
      end
    end
  end
  local code = {}
  for id, text in pairs(solutions) do if has_starter[id] then code[id] = text end end
  return examples, code
end

for _, path in ipairs(LESSON_FILES) do
  test("copyable/" .. path, function()
    local examples, code = blocks(path)
    for id, solution in pairs(code) do
      local want = logic_lines(solution)
      for k, example in ipairs(examples) do
        local have = {}
        for _, l in ipairs(logic_lines(example)) do have[l] = true end
        local found = 0
        for _, l in ipairs(want) do if have[l] then found = found + 1 end end
        if found > math.max(3, #want // 2) then
          error(("example [%d] holds %d of the %d lines of exercise %s's solution: " ..
            "a learner can copy it"):format(k, found, #want, id))
        end
      end
    end
  end)
end
