-- The outputs lessons/06-apis/01-09 quote: every `--> text` comment on (or right
-- after) a print line of a runnable example is what that print shows. The text
-- is compared up to a " (" remark or a "..." cut, whitespace collapsed.

local LESSONS = {"01-rest", "02-methods", "03-status-codes", "04-json", "05-soap",
  "06-grpc-protobuf", "07-websockets", "08-sse", "09-long-polling"}

local function blocks(path)
  local out, cur, start, n = {}, nil, 0, 0
  for line in io.lines(path) do
    n = n + 1
    if cur then
      if line:match("^```") then
        out[#out + 1] = {code = table.concat(cur, "\n"), first = start}
        cur = nil
      else
        cur[#cur + 1] = line
      end
    elseif line == "```lua" then
      cur, start = {}, n + 1
    end
  end
  return out
end

local function squash(s) return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

local function expected(comment)
  local e = comment:gsub("%s*%(.*$", ""):gsub("%s*%.%.%.%s*$", "")
  return squash(e), comment:find("%.%.%.") ~= nil
end

test("apis/quoted_outputs", function()
  local checked = 0
  for _, name in ipairs(LESSONS) do
    local path = "lessons/06-apis/" .. name .. ".md"
    local env = setmetatable({}, {__index = _G})   -- one session per lesson, as the REPL
    local printed = {}
    env.print = function(...)
      local line = debug.getinfo(2, "l").currentline
      local t = {}
      for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
      printed[line] = (printed[line] and printed[line] .. "\n" or "") .. table.concat(t, "\t")
    end
    for _, b in ipairs(blocks(path)) do
      for k in pairs(printed) do printed[k] = nil end
      local chunk = assert(load(b.code, "=" .. name, "t", env))
      chunk()
      local lines, last_print = {}, nil
      for l in (b.code .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
      for i, l in ipairs(lines) do
        local comment = l:match("%-%-> (.*)$")
        local at = i
        if l:match("^%-%->") then at = last_print end
        if l:find("print%(") then last_print = i end
        if comment and at and printed[at] then
          local want, cut = expected(comment)
          local got = squash(printed[at])
          local ok = cut and got:sub(1, #want) == want or got == want
            or got:sub(1, #want) == want and comment:find("%(")
          truthy(ok, ("%s:%d: printed %q, the lesson says %q"):format(path,
            b.first + i - 1, got, want))
          checked = checked + 1
        end
      end
    end
  end
  print("# " .. checked .. " quoted outputs checked")
  truthy(checked >= 30, "only " .. checked .. " outputs checked")
end)
