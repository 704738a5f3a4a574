-- Lua tests of lab.ws (engine/concepts/ws): RFC 6455's examples (data/, see SOURCES.md),
-- the reader's rules, and random messages through encode and the reader.

local W = lab.ws
local DATA = "tests/engine/concepts/ws/data/"
local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end
local function rows(name)
  local t = {}
  for line in io.lines(DATA .. name) do
    if not line:find("^#") then
      local r = {}
      for f in (line .. "\t"):gmatch("([^\t]*)\t") do r[#r + 1] = f end
      t[#t + 1] = r
    end
  end
  return t
end

test("ws/accept_rfc6455_1_3", function()
  local r = rows("rfc6455_handshake.tsv")
  eq(#r, 1)
  eq(W.accept(r[1][1]), r[1][3])
  eq(lab.digest.sha1(r[1][1] .. "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), r[1][2])
end)

test("ws/frames_rfc6455_5_7", function()
  local r = rows("rfc6455_frames.tsv")
  eq(#r, 8)
  for _, c in ipairs(r) do
    local name, bytes, fin, opcode, masked, key, len, text = table.unpack(c)
    local frame = unhex(bytes)
    if text == "-" then frame = frame .. ("\0"):rep(tonumber(len)) end
    local f = assert(W.decode(frame), name)
    eq(f.fin, fin == "1", name); eq(f.opcode, tonumber(opcode), name)
    eq(f.masked, masked == "1", name); eq(f.length, tonumber(len), name)
    eq(f.size, #frame, name)
    if key ~= "-" then eq(hex(f.mask), key, name) end
    if text ~= "-" then eq(f.payload, text, name) end
    -- encode writes the same bytes
    local again = W.encode{opcode = f.opcode, payload = f.payload, fin = f.fin, mask = f.mask}
    eq(hex(again), hex(frame), name)
  end
end)

test("ws/close_codes_rfc6455_7_4", function()
  local n = 0
  for _, c in ipairs(rows("rfc6455_close_codes.tsv")) do
    eq(W.close_ok(tonumber(c[1])), c[3] == "yes", c[1] .. " " .. c[2])
    n = n + 1
  end
  eq(n, 13)
  for _, code in ipairs{0, 999, 1016, 2999, 5000, 65535} do eq(W.close_ok(code), false, code) end
  for _, code in ipairs{1012, 1013, 1014, 3000, 4999} do eq(W.close_ok(code), true, code) end
end)

test("ws/mask", function()
  local key = "\x37\xfa\x21\x3d"
  eq(hex(W.mask("Hello", key)), "7f9f4d5158")
  eq(W.mask(W.mask("any bytes at all", key), key), "any bytes at all")
  eq(W.mask("lo", key, 3), W.mask("Hello", key):sub(4))   -- the key goes on where it was
  raises(function() W.mask("x", "abc") end, "4 bytes")
end)

test("ws/decode_errors", function()
  local v, err = W.decode("\x81")
  eq(v, nil); truthy(err:find("incomplete"), err)
  v, err = W.decode("\x81\x05Hel")
  truthy(err:find("3 payload bytes of 5"), err)
  v, err = W.decode("\x82\x7e\x00\x05hello")
  truthy(err:find("fewest bytes"), err)
  v, err = W.decode("\x82\x7f\x80\0\0\0\0\0\0\0")
  truthy(err:find("most significant bit"), err)
end)

local function client_frame(t)
  t.mask = t.mask or "\1\2\3\4"
  return W.encode(t)
end

test("ws/reader_messages", function()
  local r = W.reader{role = "server"}
  local stream = client_frame{opcode = "text", payload = "Hel", fin = false}
    .. client_frame{opcode = "ping", payload = "p"}
    .. client_frame{opcode = "continuation", payload = "lo", fin = false}
    .. client_frame{opcode = "continuation", payload = ", world"}
    .. client_frame{opcode = "binary", payload = "\0\1"}
    .. client_frame{opcode = "close", code = 1000, payload = "bye"}
  local ev = assert(r:feed(stream))
  eq(#ev, 4)
  eq(ev[1].type, "ping"); eq(ev[1].data, "p")
  eq(ev[2].type, "text"); eq(ev[2].data, "Hello, world"); eq(ev[2].frames, 3); eq(ev[2].offset, 0)
  eq(ev[3].type, "binary"); eq(ev[3].data, "\0\1")
  eq(ev[4].type, "close"); eq(ev[4].code, 1000); eq(ev[4].reason, "bye")
  -- byte by byte gives the same events
  local r2, got = W.reader{}, {}
  for i = 1, #stream do
    for _, e in ipairs(assert(r2:feed(stream:sub(i, i)))) do got[#got + 1] = e end
  end
  same(got, ev)
  eq(W.reader{}:feed(client_frame{opcode = "close"})[1].code, 1005)
  local partial = W.reader{}
  eq(#partial:feed(client_frame{payload = "abc"}:sub(1, 7)), 0)
  eq(partial:buffered(), 7)
end)

test("ws/reader_failures", function()
  local cases = {
    {"server", W.encode{payload = "x"}, 1002, "unmasked frame from a client"},
    {"client", client_frame{payload = "x"}, 1002, "masked frame from a server"},
    {"server", client_frame{payload = "x", rsv = 4}, 1002, "RSV bits"},
    {"server", client_frame{opcode = 3}, 1002, "reserved opcode"},
    {"server", client_frame{opcode = 11}, 1002, "reserved opcode"},
    {"server", client_frame{opcode = "ping", payload = ("x"):rep(126)}, 1002, "longer than 125"},
    {"server", client_frame{opcode = "ping", fin = false}, 1002, "fragmented control"},
    {"server", client_frame{opcode = "continuation", payload = "x"}, 1002, "no message to continue"},
    {"server", client_frame{payload = "a", fin = false} .. client_frame{payload = "b"}, 1002,
      "new message inside"},
    {"server", client_frame{opcode = "close", payload = "x"}, 1002, "1 byte"},
    {"server", client_frame{opcode = "close", code = 1005}, 1002, "close code"},
    {"server", client_frame{opcode = "close", code = 999}, 1002, "close code"},
    {"server", client_frame{opcode = "close", code = 1000, payload = "\255"}, 1007, "reason"},
    {"server", client_frame{payload = "\237\160\128"}, 1007, "not UTF%-8"},     -- a surrogate
    {"server", client_frame{opcode = "close", code = 1000} .. client_frame{payload = "x"}, 1002,
      "after the Close"},
  }
  for i, c in ipairs(cases) do
    local r = W.reader{role = c[1]}
    local v, err, off, code = r:feed(c[2])
    eq(v, nil, "case " .. i); eq(code, c[3], "case " .. i .. ": " .. tostring(err))
    truthy(err:find(c[4]), ("case %d: %s"):format(i, err))
    truthy(err:find("^byte offset %d+: "), err)
    eq(r:feed(client_frame{payload = "ok"}), nil, "a failed reader stays failed")
  end
  -- a text message split inside a UTF-8 sequence is fine once whole
  local r = W.reader{}
  local ev = r:feed(client_frame{payload = "\226\130", fin = false}
    .. client_frame{opcode = 0, payload = "\172"})
  eq(ev[1].data, "€")
  -- too big, told as soon as the header says so
  local big = W.reader{max_message = 10}
  local v, err, off, code = big:feed(client_frame{payload = ("x"):rep(11)}:sub(1, 8))
  eq(v, nil); eq(code, 1009); eq(off, 0)
  v, err, off, code = W.reader{max_message = 4}:feed(client_frame{payload = "abc", fin = false}
    .. client_frame{opcode = 0, payload = "de"})
  eq(code, 1009); eq(off, 9)
end)

test("ws/random_messages", function()
  local rng = lab.rand.new(9)
  for case = 1, 100 do
    local want, stream = {}, {}
    for _ = 1, rng:int(1, 6) do
      local kind = rng:choice{"text", "binary", "ping"}
      local parts, msg = {}, {}
      for i = 1, kind == "ping" and 1 or rng:int(1, 4) do
        local n = kind == "ping" and rng:choice{0, 1, 125} or rng:choice{0, 1, 5, 125, 126, 300, 70000}
        local t = {}
        for k = 1, n do t[k] = kind == "binary" and string.char(rng:int(0, 255)) or string.char(rng:int(32, 126)) end
        parts[i] = table.concat(t)
      end
      want[#want + 1] = {type = kind, data = table.concat(parts)}
      for i, p in ipairs(parts) do
        stream[#stream + 1] = {opcode = i == 1 and kind or "continuation", payload = p,
          fin = i == #parts}
      end
    end
    local role_server = rng:int(0, 1) == 1
    local r = W.reader{role = role_server and "server" or "client"}
    local bytes = {}
    for i, f in ipairs(stream) do
      if role_server then
        f.mask = string.char(rng:int(0, 255), rng:int(0, 255), rng:int(0, 255), rng:int(0, 255))
      end
      bytes[i] = W.encode(f)
    end
    bytes = table.concat(bytes)
    local got, at = {}, 1
    while at <= #bytes do
      local n = rng:int(1, 5000)
      for _, e in ipairs(assert(r:feed(bytes:sub(at, at + n - 1)))) do
        got[#got + 1] = {type = e.type, data = e.data}
      end
      at = at + n
    end
    same(got, want, "case " .. case)
    eq(r:buffered(), 0)
  end
end)
