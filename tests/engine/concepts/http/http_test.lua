-- Lua tests of lab.http's HTTP/1.1 parser and serializer (engine/concepts/http).

local CRLF = "\r\n"
local function req(...) return table.concat({...}, CRLF) end

test("http/parse_request_fields", function()
  local m, used = lab.http.parse_request(req("POST /p?q=1 HTTP/1.1", "Host: a.example",
    "X-Dup: 1", "x-dup:2  ", "Content-Length: 5", "", "hello") .. "NEXT")
  eq(m.method, "POST"); eq(m.target, "/p?q=1"); eq(m.version, "HTTP/1.1")
  eq(#m.headers, 4); eq(m.headers[3].name, "x-dup"); eq(m.headers[3].value, "2")
  eq(m.body, "hello"); eq(used, m.length); eq(used, 86); eq(m.keep_alive, true)
  eq(lab.http.header(m, "X-DUP"), "1, 2"); eq(lab.http.header(m, "nope"), nil)
  local m10 = lab.http.parse_request(req("GET / HTTP/1.0", "Connection: keep-alive", "", ""))
  eq(m10.keep_alive, true)
  eq(lab.http.parse_request(req("GET / HTTP/1.0", "", "")).keep_alive, false)
  eq(lab.http.parse_request(req("GET / HTTP/1.1", "Connection: close", "", "")).keep_alive, false)
  local up = lab.http.parse_request(req("GET /ws HTTP/1.1", "Upgrade: websocket",
    "Connection: Upgrade", "", "") .. "\x81\x05hello")
  eq(up.upgrade, true); eq(up.length, #req("GET /ws HTTP/1.1", "Upgrade: websocket",
    "Connection: Upgrade", "", ""))
end)

test("http/parse_response_framing", function()
  local r = lab.http.parse_response(req("HTTP/1.1 200 OK", "Content-Type: text/plain", "", "") .. "all of it")
  eq(r.status, 200); eq(r.reason, "OK"); eq(r.body, "all of it"); eq(r.keep_alive, false)
  local h = lab.http.parse_response(req("HTTP/1.1 200 OK", "Content-Length: 10", "", ""), {head = true})
  eq(h.body, ""); eq(h.length, 39)
  local n = lab.http.parse_response(req("HTTP/1.1 304 Not Modified", "Content-Length: 10", "", ""))
  eq(n.body, "")
  local c = lab.http.parse_response(req("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "",
    "4;ext=1", "Wiki", "5 ; a=\"q\\\"x\"", "pedia", "0", "Expires: never", "", ""))
  eq(c.body, "Wikipedia"); eq(c.chunked, true); eq(c.chunks, 2)
  eq(c.trailers[1].name, "Expires"); eq(c.trailers[1].value, "never")
  local t = lab.http.parse_response(req("HTTP/1.1 200 OK", "Transfer-Encoding: gzip", "", "") .. "zz")
  eq(t.body, "zz", "a response whose last coding is not chunked runs to the close")
  local noreason = lab.http.parse_response(req("HTTP/1.1 204", "", ""))
  eq(noreason.status, 204); eq(noreason.reason, "")
  local v, err, off = lab.http.parse_response(req("HTTP/1.1 200 OK", "Content-Length: 9", "", "") .. "short",
    {eof = false})
  eq(v, nil); truthy(err:find("incomplete")); eq(off, 43)
end)

test("http/smuggling_rules", function()
  -- each: the request, the offset of the refused byte, a word of the reason
  local cases = {
    {req("POST / HTTP/1.1", "Content-Length: 4", "Transfer-Encoding: chunked", "", "0", "", ""),
     36, "smuggling"},                                      -- RFC 9112 6.1 (CL.TE / TE.CL)
    {req("POST / HTTP/1.1", "Content-Length: 4", "Content-Length: 5", "", "abcde"),
     36, "second Content%-Length"},                         -- 6.3 item 5
    {req("POST / HTTP/1.1", "Content-Length : 4", "", "abcd"), 31, "colon"}, -- 5.1
    {req("GET / HTTP/1.1", "Host: a", " folded", "", ""), 25, "obs%-fold"},   -- 5.2
    {"GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 23, "bare CR"},               -- 2.2
    {"GET / HTTP/1.1\nHost: a\r\n\r\n", 14, "bare LF"},                       -- 2.2
    {req("POST / HTTP/1.1", "Transfer-Encoding: chunked, gzip", "", ""), 17, "final transfer coding"},
    {req("POST / HTTP/1.0", "Transfer-Encoding: chunked", "", "0", "", ""), 17, "HTTP/1.0"},
    {req("POST / HTTP/1.1", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked", "", ""),
     64, "twice"},
    {req("POST / HTTP/1.1", "Content-Length: +4", "", "abcd"), 33, "digits"},
    {req("POST / HTTP/1.1", "Content-Length: 4, 4", "", "abcd"), 34, "digits"},
    {req("GET  / HTTP/1.1", "", ""), 4, "request%-target"},
    {req("GET / HTTP/1.1 ", "", ""), 14, "CRLF"},
    {req("GET / HTTP/1.1", "X: a\0b", "", ""), 20, "field value"},
    {req("POST / HTTP/1.1", "Transfer-Encoding: chunked", "", "5 ", "hello", "0", "", ""),
     48, "whitespace after the chunk size"},
    {req("POST / HTTP/1.1", "Transfer-Encoding: chunked", "", "5", "helloX", "0", "", ""),
     55, "CRLF after the chunk data"},
    {req("POST / HTTP/1.1", "Transfer-Encoding: chunked", "", "fffffffffffffffff", "", ""),
     47, "too large"},
  }
  for _, c in ipairs(cases) do
    local m, err, off = lab.http.parse_request(c[1])
    eq(m, nil, c[3]); truthy(err and err:find(c[3]), ("%q: %s"):format(c[1], tostring(err)))
    eq(off, c[2], c[3] .. " offset")
    truthy(err:find("offset " .. c[2], 1, true), err)
  end
end)

test("http/pipelining_stream", function()
  local all = req("GET /1 HTTP/1.1", "", "") .. req("POST /2 HTTP/1.1", "Transfer-Encoding: chunked", "",
    "3", "abc", "0", "", "") .. req("GET /3 HTTP/1.1", "Connection: close", "", "")
  -- any split of the stream into pieces gives the same three messages
  local r = lab.rand.new(11)
  for _ = 1, 200 do
    local p, got, pos = lab.http.parser{}, {}, 1
    while pos <= #all do
      local n = r:int(1, 9)
      for _, m in ipairs(assert(p:feed(all:sub(pos, pos + n - 1)))) do got[#got + 1] = m end
      pos = pos + n
    end
    eq(#got, 3); eq(got[2].body, "abc"); eq(got[3].target, "/3"); eq(got[3].keep_alive, false)
    eq(got[2].offset, 19); eq(p:buffered(), 0)
  end
  local p = lab.http.parser{}
  p:feed(req("GET / HTTP/1.1", "Connection: close", "", ""))
  local v, err = p:feed("GET /smuggled HTTP/1.1\r\n\r\n")
  eq(v, nil); truthy(err:find("end of the connection"))
  raises(function() p:feed("x") end, "stopped")
  -- responses: HEAD and the 100 before the final response
  local rp = lab.http.parser{type = "response"}
  rp:expect("HEAD"); rp:expect("GET")
  local rs = assert(rp:feed(req("HTTP/1.1 200 OK", "Content-Length: 5", "", "") ..
    req("HTTP/1.1 100 Continue", "", "") .. req("HTTP/1.1 200 OK", "Content-Length: 2", "", "ok")))
  eq(#rs, 3); eq(rs[1].body, ""); eq(rs[2].status, 100); eq(rs[3].body, "ok")
  -- a body until the close needs finish()
  local cp = lab.http.parser{type = "response"}
  eq(#cp:feed(req("HTTP/1.1 200 OK", "", "") .. "abc"), 0)
  local fin = cp:finish()
  eq(fin[1].body, "abc")
  -- an upgrade leaves the rest to the new protocol
  local up = lab.http.parser{}
  local ms = up:feed(req("GET / HTTP/1.1", "Connection: upgrade", "Upgrade: h2c", "", "") .. "\0binary")
  eq(#ms, 1); eq(ms[1].upgrade, true); eq(up:rest(), "\0binary")
end)

test("http/serialize_and_round_trip", function()
  eq(lab.http.serialize_request{method = "GET", target = "/", headers = {{"Host", "a"}}},
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
  eq(lab.http.serialize_response{status = 200, reason = "OK", body = "hi"},
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
  local bad = {
    {headers = {{"X", "a\r\nSet-Cookie: evil=1"}}}, {headers = {{"Bad Name", "v"}}},
    {headers = {{"X", " padded"}}}, {method = "G T"}, {target = "/a b"},
    {headers = {{"Content-Length", "3"}}, body = "hello"},
    {headers = {{"Content-Length", "5"}}, body = "hello", chunked = true},
  }
  for i, b in ipairs(bad) do
    b.method = b.method or "POST"
    local s, err = lab.http.serialize_request(b)
    eq(s, nil, "bad #" .. i); truthy(type(err) == "string")
  end
  raises(function() lab.http.serialize_request{headers = {{"X"}}} end, "string value")
  raises(function() lab.http.serialize_request{version = "HTTP/2"} end, "version")
  -- decode(encode(x)) == x for random messages
  local r = lab.rand.new(5)
  local tchar = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"
  local function token(n)
    local t = {}
    for i = 1, n do local k = r:int(1, #tchar); t[i] = tchar:sub(k, k) end
    return table.concat(t)
  end
  local function value()
    local t = {}
    for i = 1, r:int(0, 12) do
      local c = r:int(0, 255)
      if c < 32 or c == 127 then c = 65 end
      t[i] = string.char(c)
    end
    return (table.concat(t):gsub("^[ \t]+", ""):gsub("[ \t]+$", ""))
  end
  for _ = 1, 300 do
    local reqmsg = r:int(0, 1) == 1
    local m = {headers = {}, body = ""}
    for i = 1, r:int(0, 6) do
      local n = token(r:int(1, 8))
      if not n:lower():find("^content%-length$") and not n:lower():find("^transfer%-encoding$")
        and not n:lower():find("^connection$") and not n:lower():find("^upgrade$") then
        m.headers[#m.headers + 1] = {name = n, value = value()}
      end
    end
    local bl = {}
    for i = 1, r:int(0, 40) do bl[i] = string.char(r:int(0, 255)) end
    m.body = table.concat(bl)
    if r:int(0, 1) == 1 then
      m.chunked = true; m.chunk_size = r:int(0, 7)
      m.trailers = {{name = token(3), value = value()}}
    end
    local bytes, got
    if reqmsg then
      m.method, m.target = token(r:int(1, 6)), "/" .. token(r:int(0, 10))
      if m.method:upper() == "CONNECT" then m.method = "GET" end
      bytes = assert(lab.http.serialize_request(m))
      got = assert(lab.http.parse_request(bytes))
      eq(got.method, m.method); eq(got.target, m.target)
    else
      m.status, m.reason = r:int(200, 599), value()
      if m.status == 204 or m.status == 304 then m.status = 200 end
      bytes = assert(lab.http.serialize_response(m))
      got = assert(lab.http.parse_response(bytes))
      eq(got.status, m.status); eq(got.reason, m.reason)
    end
    eq(got.body, m.body); eq(got.length, #bytes)
    for i, f in ipairs(m.headers) do
      eq(got.headers[i].name, f.name); eq(got.headers[i].value, f.value)
    end
    if m.chunked then
      eq(got.trailers[1].value, m.trailers[1].value)
    end
  end
end)

test("http/dechunk_and_chunk", function()
  local body, used, trailers = lab.http.dechunk("3\r\nabc\r\n0\r\nA: b\r\n\r\nrest")
  eq(body, "abc"); eq(used, 19); eq(trailers[1].name, "A")
  eq(lab.http.chunk("abcdefg", 3), "3\r\nabc\r\n3\r\ndef\r\n1\r\ng\r\n0\r\n\r\n")
  eq(lab.http.chunk(""), "0\r\n\r\n")
  eq(lab.http.chunk("ab", 0, {{"X", "y"}}), "2\r\nab\r\n0\r\nX: y\r\n\r\n")
  local v, err, off = lab.http.dechunk("3\r\nab")
  eq(v, nil); truthy(err:find("incomplete")); eq(off, 5)
  v, err, off = lab.http.dechunk("g\r\n")
  eq(v, nil); eq(off, 0)
end)

test("http/malformed_never_crash", function()
  -- random mutations of valid messages: a verdict every time, offsets in range
  local base = {
    req("POST /a HTTP/1.1", "Host: x", "Content-Length: 3", "", "abc"),
    req("PUT /b HTTP/1.1", "Transfer-Encoding: chunked", "", "2;x=y", "ab", "0", "T: 1", "", ""),
  }
  local r = lab.rand.new(99)
  for _ = 1, 3000 do
    local s = base[r:int(1, 2)]
    local bytes = {}
    for i = 1, #s do bytes[i] = s:sub(i, i) end
    for _ = 1, r:int(1, 3) do
      local k = r:int(1, #bytes)
      local op = r:int(1, 3)
      if op == 1 then bytes[k] = string.char(r:int(0, 255))
      elseif op == 2 then table.remove(bytes, k)
      else table.insert(bytes, k, string.char(r:choice{13, 10, 32, 9, 58, 0, 48})) end
    end
    local input = table.concat(bytes)
    local m, err, off = lab.http.parse_request(input)
    if not m then
      truthy(type(err) == "string" and off >= 0 and off <= #input, tostring(err))
    else
      truthy(m.length <= #input)
    end
  end
end)
