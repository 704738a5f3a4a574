-- Lua tests of lab.sse (engine/concepts/sse): the parsing rules of the WHATWG HTML
-- Standard, section 9.2.6, each on a small stream; slicing; format/parse round trips.

local S = lab.sse

local function parse(text)
  local events, state = S.parse(text)
  local out = {}
  for i, e in ipairs(events) do out[i] = {e.type, e.data, e.id} end
  return out, state
end

test("sse/fields", function()
  same(parse("data: hello\n\n"), {{"message", "hello", ""}})
  same(parse("data:hello\n\n"), {{"message", "hello", ""}})           -- no space
  same(parse("data:  two spaces\n\n"), {{"message", " two spaces", ""}}) -- one dropped
  same(parse("data: a\ndata: b\n\n"), {{"message", "a\nb", ""}})
  same(parse("data\n\n"), {{"message", "", ""}})                      -- no colon: empty value
  same(parse("data\ndata\n\n"), {{"message", "\n", ""}})
  same(parse("event: add\ndata: 1\n\n"), {{"add", "1", ""}})
  same(parse("event: add\n\ndata: 1\n\n"), {{"message", "1", ""}})    -- no data: no event
  same(parse("event:\ndata: 1\n\n"), {{"message", "1", ""}})           -- empty type
  same(parse(": comment\ndata: 1\n: another\n\n"), {{"message", "1", ""}})
  same(parse("Data: x\nfoo: y\ndata : z\n\n"), {})                    -- names are exact
  same(parse("data: a:b: c\n\n"), {{"message", "a:b: c", ""}})
end)

test("sse/ids_persist", function()
  local got, st = parse("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 4\n\ndata: d\n\n")
  same(got, {{"message", "a", "1"}, {"message", "b", "1"}, {"message", "c", ""},
    {"message", "d", "4"}})
  eq(st.last_event_id, "4")
  same(parse("id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"), {{"message", "a", "1"},
    {"message", "b", "1"}})                                           -- a NUL: id ignored
end)

test("sse/retry", function()
  local _, st = parse("retry: 3000\n\n")
  eq(st.retry, 3000)
  for _, bad in ipairs{"retry: 3s\n", "retry: -1\n", "retry: 1.5\n", "retry:\n", "retry:  10\n"} do
    local _, s2 = parse(bad)
    eq(s2.retry, nil, bad)
  end
  local _, s3 = parse("retry: 10\nretry: x\n")
  eq(s3.retry, 10)                                                    -- a bad value changes nothing
end)

test("sse/line_endings_and_bom", function()
  local want = {{"message", "a\nb", ""}}
  same(parse("data: a\r\ndata: b\r\n\r\n"), want)
  same(parse("data: a\rdata: b\r\r"), want)
  same(parse("data: a\ndata: b\r\n\r"), want)
  same(parse("\239\187\191data: a\ndata: b\n\n"), want)               -- a BOM at the start
  same(parse("data: a\n\239\187\191data: b\n\n"), {{"message", "a", ""}}) -- elsewhere: a name
  same(parse("\239\187\191\239\187\191data: x\n\n"), {})              -- only one is dropped
  same(parse("data: \255x\n\n"), {{"message", "\u{FFFD}x", ""}})      -- bad UTF-8
  same(parse("data: \240\159\152\n\n"), {{"message", "\u{FFFD}", ""}}) -- one per maximal subpart
end)

test("sse/end_of_stream", function()
  local got, st = parse("data: a\n\ndata: b\n")
  same(got, {{"message", "a", ""}}); eq(st.discarded, true)
  local _, st2 = parse("data: a\n\n")
  eq(st2.discarded, false)
  -- a reconnecting client keeps its last id and retry
  local p = S.parser()
  p:feed("retry: 500\nid: 41\ndata: x\n\nid: 42\ndata: half")
  eq(p:finish(), true)
  eq(p:last_event_id(), "41")                 -- no empty line came after id: 42
  eq(p:retry(), 500)
  local ev = p:feed("data: y\n\nid: 43\n\n")
  same({ev[1].data, ev[1].id}, {"y", ""})     -- a new stream's ID buffer starts empty
  eq(p:last_event_id(), "43")                 -- an empty line without data sets it too
end)

test("sse/any_slicing", function()
  local text = "\239\187\191id: 1\r\nevent: e\r\ndata: x\r\n\r\n: c\rdata: y\r\rdata\n\n"
  local want = parse(text)
  local rng = lab.rand.new(3)
  for _ = 1, 200 do
    local p, got, at = S.parser(), {}, 1
    while at <= #text do
      local n = rng:int(1, 4)
      for _, e in ipairs(p:feed(text:sub(at, at + n - 1))) do got[#got + 1] = {e.type, e.data, e.id} end
      at = at + n
    end
    same(got, want)
  end
  eq(#want, 3)
end)

test("sse/format_round_trip", function()
  eq(S.format{data = "x"}, "data: x\n\n")
  eq(S.format{id = "7", event = "e", retry = 10, data = "a\r\nb\rc"},
    "id: 7\nevent: e\nretry: 10\ndata: a\ndata: b\ndata: c\n\n")
  raises(function() S.format{id = "a\nb"} end, "id cannot hold")
  raises(function() S.format{event = "a\rb"} end, "event type cannot")
  local rng = lab.rand.new(8)
  for _ = 1, 300 do
    local lines = {}
    for i = 1, rng:int(1, 4) do lines[i] = rng:choice{"", "a", " b", ":c", "d: e", "é"} end
    local data = table.concat(lines, "\n")
    local id = rng:choice{nil, "1", "x y"}
    local ev = S.parse(S.format{data = data, id = id, event = rng:choice{nil, "t"}})
    eq(#ev, 1); eq(ev[1].data, data); eq(ev[1].id, id or "")
  end
end)
