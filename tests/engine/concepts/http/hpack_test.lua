-- lab.http's HPACK against RFC 7541 Appendix C and the hpack-test-case stories
-- (tests/engine/concepts/http/data/hpack, see SOURCES.md), plus round trips.

local json = dofile("tests/lib/json.lua")
local DATA = "tests/engine/concepts/http/data/hpack/"

local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end

test("hpack/appendix_c_integers", function()
  local d = json.read(DATA .. "hpack_rfc7541_appendix_c.json")
  for _, c in ipairs(d.integers) do
    eq(hex(lab.http.hpack_integer(c.value, c.prefix_bits)), c.encoded_hex, c.id)
    local v, used = lab.http.hpack_read_integer(unhex(c.encoded_hex), c.prefix_bits)
    eq(v, c.value, c.id); eq(used, #c.encoded_hex // 2, c.id)
  end
end)

test("hpack/appendix_c_blocks", function()
  local d = json.read(DATA .. "hpack_rfc7541_appendix_c.json")
  local dec, n = nil, 0
  for _, c in ipairs(d.header_blocks) do
    if c.context == "fresh" or not dec or c.id:match("%.1$") then
      dec = lab.http.hpack_decoder{max_size = c.header_table_size}
    end
    local got = assert(dec:decode(unhex(c.wire_hex)), c.id)
    eq(#got, #c.decoded, c.id)
    for k, f in ipairs(c.decoded) do
      eq(got[k].name, f[1], c.id); eq(got[k].value, f[2], c.id)
    end
    local tab = dec:table()
    eq(#tab, #c.dynamic_table_after, c.id .. " table entries")
    for k, row in ipairs(c.dynamic_table_after) do
      eq(tab[k].size, row[2], c.id); eq(tab[k].name, row[3], c.id); eq(tab[k].value, row[4], c.id)
    end
    eq((dec:size()), c.dynamic_table_size_after, c.id .. " table size")
    n = n + 1
  end
  eq(n, 16)
end)

test("hpack/appendix_c_encoder_bytes", function()
  -- with the RFC's choices (index everything; Huffman in C.4 and C.6, not in
  -- C.3 and C.5) our encoder writes the RFC's exact bytes
  local d = json.read(DATA .. "hpack_rfc7541_appendix_c.json")
  local enc, same_bytes = nil, 0
  for _, c in ipairs(d.header_blocks) do
    local series = c.id:match("^(C%.%d)")
    if (series == "C.3" or series == "C.4" or series == "C.5" or series == "C.6") then
      if c.id:match("%.1$") then
        enc = lab.http.hpack_encoder{max_size = c.header_table_size,
                                     huffman = series == "C.4" or series == "C.6"}
      end
      local hs = {}
      for _, f in ipairs(c.headers) do hs[#hs + 1] = {f[1], f[2]} end
      eq(hex(enc:encode(hs)), c.wire_hex, c.id)
      same_bytes = same_bytes + 1
    end
  end
  eq(same_bytes, 12)
end)

local STORIES = {
  "go-hpack_story_00", "nghttp2-change-table-size_story_00", "nghttp2-change-table-size_story_01",
  "nghttp2-change-table-size_story_15", "nghttp2_story_00", "nghttp2_story_01",
  "nghttp2_story_24", "python-hpack_story_15",
}

test("hpack/test_case_stories", function()
  local blocks = 0
  for _, name in ipairs(STORIES) do
    local story = json.read(DATA .. name .. ".json")
    local dec = lab.http.hpack_decoder{}
    for _, case in ipairs(story.cases) do
      if case.header_table_size then dec:settings(case.header_table_size) end
      local got, err = dec:decode(unhex(case.wire))
      truthy(got, name .. " #" .. case.seqno .. ": " .. tostring(err))
      eq(#got, #case.headers, name)
      for k, h in ipairs(case.headers) do
        local hn, hv = next(h)
        eq(got[k].name, hn, name .. " #" .. case.seqno); eq(got[k].value, hv, name)
      end
      blocks = blocks + 1
    end
  end
  eq(blocks, 66)
end)

test("hpack/round_trip_random", function()
  -- decode(encode(x)) == x over random header lists, across blocks that share
  -- tables, with and without Huffman and indexing, and the tables stay equal
  local r = lab.rand.new(7)
  local static = lab.http.hpack_static()
  eq(#static, 61); eq(static[2].name, ":method"); eq(static[61].name, "www-authenticate")
  for trial = 1, 40 do
    local size = r:choice{0, 64, 256, 4096}
    local enc = lab.http.hpack_encoder{max_size = size, huffman = r:int(0, 1) == 1,
                                       index = r:int(0, 1) == 1}
    local dec = lab.http.hpack_decoder{max_size = size}
    for _ = 1, 6 do
      local hs = {}
      for i = 1, r:int(0, 12) do
        local f
        if r:uniform() < 0.4 then
          local s = static[r:int(1, 61)]
          f = {s.name, r:uniform() < 0.5 and s.value or tostring(r:int(0, 999))}
        else
          local bytes = {}
          for k = 1, r:int(0, 20) do bytes[k] = string.char(r:int(0, 255)) end
          f = {"x-" .. r:int(1, 5), table.concat(bytes)}
        end
        hs[i] = {name = f[1], value = f[2], sensitive = r:uniform() < 0.1}
      end
      local got = assert(dec:decode(enc:encode(hs)))
      eq(#got, #hs)
      for i, f in ipairs(hs) do
        eq(got[i].name, f.name); eq(got[i].value, f.value)
        if f.sensitive then eq(got[i].rep, "never") end
      end
      same(dec:table(), enc:table())
    end
  end
end)

test("hpack/huffman_and_errors", function()
  -- RFC 7541 C.4.1: "www.example.com" Huffman-coded
  eq(hex(lab.http.huffman_encode("www.example.com")), "f1e3c2e5f23a6ba0ab90f4ff")
  eq(lab.http.huffman_decode(unhex("f1e3c2e5f23a6ba0ab90f4ff")), "www.example.com")
  local r = lab.rand.new(3)
  for _ = 1, 300 do
    local t = {}
    for k = 1, r:int(0, 40) do t[k] = string.char(r:int(0, 255)) end
    local s = table.concat(t)
    eq(lab.http.huffman_decode(lab.http.huffman_encode(s)), s)
  end
  -- padding of 8 or more bits, padding with a zero, EOS inside
  local v, err, off = lab.http.huffman_decode("\xff")
  eq(v, nil); truthy(err:find("padding"))
  v, err = lab.http.huffman_decode("\x00\x00")       -- "00000 00000 000000": a 0-padded tail
  eq(v, nil); truthy(err:find("padding"), err)
  v, err = lab.http.huffman_decode("\xff\xff\xff\xff")
  eq(v, nil); truthy(err:find("EOS"), err)
  local d = lab.http.hpack_decoder{}
  v, err, off = d:decode("\x80")
  eq(v, nil); truthy(err:find("index 0")); eq(off, 0)
  v, err, off = d:decode("\x82\xbe")                    -- index 62: the dynamic table is empty
  eq(v, nil); eq(off, 1); truthy(err:find("past the end"))
  v, err, off = d:decode("\x82\x3f\xe1\x1f")            -- size update after a field
  eq(v, nil); truthy(err:find("after a field")); eq(off, 1)
  v, err = d:decode("\x3f\xe2\x1f")                    -- size update to 4097 > 4096
  eq(v, nil); truthy(err:find("above the limit"))
  v, err = d:decode("\x40\x05ab")                      -- a string past the end
  eq(v, nil); truthy(err:find("past the end"))
  v, err = d:decode("\xff\xff\xff\xff\xff\xff\x0f")    -- an integer over 2^32
  eq(v, nil); truthy(err:find("2%^32"), err)
  raises(function() lab.http.hpack_integer(-1, 5) end, "2%^32")
end)
