-- lab.http against the llhttp test fixtures (tests/engine/concepts/http/data/llhttp,
-- MIT, see SOURCES.md). Each fixture is an ```http input and the ```log of callbacks
-- llhttp made; this test rebuilds the input as llhttp's own harness does
-- (test/md-test.ts), derives the messages and the verdict from the log, feeds the
-- input to lab.http.parser and compares.
--
-- A fixture agrees when we produce the same complete messages (method, target,
-- version or status and reason, header fields in order, body) and fail exactly when
-- llhttp fails. Fixtures of llhttp's lenient modes (type "*-lenient-*") agree when
-- we reject them (we are strict) or produce what llhttp did. The fixtures we
-- disagree with are listed, with the reason, in data/llhttp_disagreements.tsv; the
-- test fails if that list and the actual disagreements differ in either direction.

local DATA = "tests/engine/concepts/http/data/"
local FILES = {
  "request/connection", "request/content-length", "request/finish", "request/invalid",
  "request/lenient-header-value-relaxed", "request/lenient-headers",
  "request/lenient-version", "request/method", "request/pausing", "request/pipelining",
  "request/sample", "request/transfer-encoding", "request/uri",
  "response/connection", "response/content-length", "response/finish", "response/invalid",
  "response/lenient-version", "response/pausing", "response/pipelining", "response/sample",
  "response/transfer-encoding",
}

local function read(path)
  local f = assert(io.open(DATA .. path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- The fixtures of one file: {name, line, meta, http, log}.
local function fixtures(file)
  local out, heading, meta, http, pending = {}, "", nil, nil, nil
  local lines, i = {}, 1
  for line in (read("llhttp/" .. file .. ".md") .. "\n"):gmatch("([^\n]*)\n") do
    lines[#lines + 1] = line
  end
  while i <= #lines do
    local line = lines[i]
    local h = line:match("^#+%s+(.*)$")
    if h then heading = h end
    local m = line:match("^<!%-%- meta=(.*) %-%->$")
    if m then meta = m end
    local fence = line:match("^```(%a+)$")
    if fence then
      local body = {}
      i = i + 1
      while lines[i] ~= "```" do body[#body + 1] = lines[i]; i = i + 1 end
      local text = table.concat(body, "\n") .. "\n"
      if fence == "http" then
        http, pending = text, {name = file .. ": " .. heading, line = i, meta = meta or ""}
      elseif fence == "log" and pending then
        pending.http, pending.log = http, text
        out[#out + 1] = pending
        pending, meta = nil, nil
      end
    end
    i = i + 1
  end
  return out
end

-- The input bytes, exactly as llhttp's md-test.ts builds them.
local function input(text)
  text = text:gsub("\n$", "")
  text = text:gsub("\\\r\n", ""):gsub("\\\n", "")
  text = text:gsub("\r\n", "\n"):gsub("\r", "\n"):gsub("\n", "\r\n")
  text = text:gsub("\\r", "\r"):gsub("\\n", "\n"):gsub("\\t", "\t"):gsub("\\f", "\f")
  -- an escape makes one JavaScript character, which the harness writes as UTF-8:
  -- "\xff" reaches llhttp as the two bytes C3 BF
  text = text:gsub("\\x(%x%x?)", function(h) return utf8.char(tonumber(h, 16)) end)
  text = text:gsub("\\([0-7][0-7]?[0-7]?)", function(o) return utf8.char(tonumber(o, 8)) end)
  return text
end

-- Span text in a log: llhttp's harness writes CR, LF, tab and form feed as \r \n \t
-- \f; quotes and backslashes are not escaped.
local function unquote(s)
  return (s:gsub("\\([rntf])", {t = "\t", r = "\r", n = "\n", f = "\f"}))
end

-- The messages llhttp reported and whether it failed.
local function expected(log)
  local msgs, cur, err, field = {}, nil, nil, nil
  log = log:gsub("\\t", "\t"):gsub("\\f", "\f")
  for line in log:gmatch("[^\n]+") do
    local span, val = line:match("^off=%d+ len=%d+ span%[([%w_]+)%]=(.*)$")
    if val then -- quoted text, or a lone CR or LF written cr / lf
      val = val:match('^"(.*)"$') or ({cr = "\r", lf = "\n"})[val] or val
    end
    if line:find(" message begin$") then
      cur = {method = "", target = "", version = "", reason = "", headers = {}, body = "",
             complete = false}
      msgs[#msgs + 1] = cur
      field = nil
    elseif span and cur then
      val = unquote(val)
      if span == "method" then cur.method = cur.method .. val
      elseif span == "url" then cur.target = cur.target .. val
      elseif span == "version" then cur.version = cur.version .. val
      elseif span == "status" then cur.reason = cur.reason .. val
      elseif span == "header_field" then
        if not field or field.done then
          field = {name = "", value = ""}
          cur.headers[#cur.headers + 1] = field
        end
        field.name = field.name .. val
      elseif span == "header_value" then field.value = field.value .. val
      elseif span == "body" then cur.body = cur.body .. val end
    elseif line:find(" header_value complete$") and field then
      field.done = true
    elseif line:find(" headers complete ") and cur then
      cur.status = tonumber(line:match("status=(%d+)"))
      if field then field.done = true end
    elseif line:find(" message complete$") and cur then
      cur.complete = true
    elseif line:find("^off=NULL finish=") then
      -- llhttp_finish(): 0 nothing to do, 1 it completed the message, 2 unsafe
      local k = line:match("finish=(%d)")
      if k == "1" and cur then cur.complete = true end
      if k == "2" then err = {reason = "unsafe to finish"} end
    else
      local off, code, reason = line:match("^off=(%d+) error code=(%d+) reason=\"(.*)\"")
      if code and code ~= "22" then err = {off = tonumber(off), reason = reason} end
      if code == "22" and cur then cur.upgrade = true end
    end
  end
  local complete = {}
  for _, m in ipairs(msgs) do if m.complete then complete[#complete + 1] = m end end
  return complete, err
end

-- Feeds the whole input to a fresh lab.http parser: messages, error, offset.
local function ours(kind, finish, skip_body, bytes)
  local p = lab.http.parser{type = kind}
  if skip_body then for _ = 1, 8 do p:expect("HEAD") end end
  local got, err, off = p:feed(bytes)
  if got and finish then
    local more, e2, o2 = p:finish()
    if more then
      for _, m in ipairs(more) do got[#got + 1] = m end
    else
      err, off = e2, o2
    end
  end
  return got, err, off
end

-- Why two messages differ, or nil.
local function differ(want, got)
  if got.method ~= nil and got.method ~= want.method then return "method " .. got.method end
  if got.target ~= nil and got.target ~= want.target then return "target " .. got.target end
  if got.version ~= "HTTP/" .. want.version then return "version " .. got.version end
  if got.status ~= nil and got.status ~= want.status then return "status " .. got.status end
  if got.reason ~= nil and got.reason ~= want.reason then return "reason " .. got.reason end
  -- llhttp reports trailer fields as more header fields of the message
  local fields = {}
  for _, f in ipairs(got.headers) do fields[#fields + 1] = f end
  for _, f in ipairs(got.trailers or {}) do fields[#fields + 1] = f end
  if #fields ~= #want.headers then return #fields .. " header fields" end
  for k, f in ipairs(want.headers) do
    -- RFC 9110 5.5: a field value excludes trailing whitespace; llhttp keeps it
    local wv = f.value:gsub("[ \t]+$", "")
    if fields[k].name ~= f.name or fields[k].value ~= wv then
      return ("field %d %q: %q"):format(k, fields[k].name, fields[k].value)
    end
  end
  if got.body ~= want.body then return ("body %q"):format(got.body) end
end

local function verdict(fx)
  local meta = fx.meta
  local kind = meta:match('"type":%s*"(%a+)')
  local lenient = meta:find("lenient") ~= nil
  local finish = meta:find("%-finish") ~= nil
  local skip = meta:find('"skipBody":%s*true') ~= nil
  local bytes = input(fx.http)
  local want, werr = expected(fx.log)
  local got, gerr, goff = ours(kind, finish, skip, bytes)
  local n = got and #got or 0
  if not got then
    -- we failed: count the messages we completed before the error
    local p = lab.http.parser{type = kind}
    local part = {}
    local pos = 1
    while pos <= #bytes do
      local r = p:feed(bytes:sub(pos, pos))
      if not r then break end
      for _, m in ipairs(r) do part[#part + 1] = m end
      pos = pos + 1
    end
    got, n = part, #part
  end
  local result = {offset_same = werr and gerr and werr.off == goff}
  if lenient and gerr then result.agree = true; result.lenient_rejected = true; return result end
  if (werr ~= nil) ~= (gerr ~= nil) then
    result.why = werr and ("llhttp fails (" .. werr.reason .. "); we accept")
      or ("we fail: " .. gerr)
    return result
  end
  if n ~= #want then
    result.why = ("%d messages, llhttp %d"):format(n, #want)
    return result
  end
  for k, w in ipairs(want) do
    local d = differ(w, got[k])
    if d then result.why = ("message %d: %s"):format(k, d); return result end
  end
  result.agree = true
  return result
end

test("http/llhttp_fixtures", function()
  local listed, reasons = {}, 0
  for line in read("llhttp_disagreements.tsv"):gmatch("[^\n]+") do
    if not line:find("^#") then
      local name, why = line:match("^([^\t]+)\t(.+)$")
      truthy(name and why and #why > 10, "each listed fixture needs a reason: " .. line)
      listed[name] = true
      reasons = reasons + 1
    end
  end
  local total, agree, rejected_lenient, offsets, errors = 0, 0, 0, 0, 0
  local problems = {}
  local seen = {}
  for _, file in ipairs(FILES) do
    for _, fx in ipairs(fixtures(file)) do
      total = total + 1
      local name = fx.name
      if seen[name] then name = name .. " #" .. fx.line end
      seen[name] = true
      local r = verdict(fx)
      if r.agree then agree = agree + 1 end
      if r.lenient_rejected then rejected_lenient = rejected_lenient + 1 end
      if r.offset_same then offsets = offsets + 1 end
      if r.agree and listed[name] then
        problems[#problems + 1] = "listed but agrees: " .. name
      elseif not r.agree and not listed[name] then
        problems[#problems + 1] = "disagrees, not listed: " .. name .. "\t" .. r.why
      end
      listed[name] = nil
    end
  end
  for name in pairs(listed) do problems[#problems + 1] = "listed, no such fixture: " .. name end
  table.sort(problems)
  print(("# llhttp fixtures: %d, agree %d (of which %d lenient-mode inputs we reject), " ..
    "disagree %d (listed with reasons); same error offset as llhttp on %d"):format(
    total, agree, rejected_lenient, total - agree, offsets))
  eq(#problems, 0, table.concat(problems, "\n      "))
  eq(total, 251)
end)
