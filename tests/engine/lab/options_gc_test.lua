-- Every lab function reads the tables it is given raw: no metamethod of the
-- learner's runs, so none can run the collector under a C pointer (issue 8:
-- heap-use-after-free at seven sites, reached through an options table whose
-- __index ran collectgarbage()). Run under ASan by `make asan`.
--
-- P{...} is a table whose values are raw and whose metamethods (__index,
-- __newindex, __pairs, __len) count a hit and collect garbage; nested tables
-- are wrapped too. G{...} also answers every absent key from __index with a
-- fresh string, as the issue's reproductions did. A raw reader never sees
-- those strings, and `hits` stays 0.

local hits = 0
local function meta(answer)
  return {
    __index = function(_, k)
      hits = hits + 1
      collectgarbage()
      if answer then return ("from __index: %s %s"):format(tostring(k), ("x"):rep(64)) end
    end,
    __newindex = function(t, k, v) hits = hits + 1; collectgarbage(); rawset(t, k, v) end,
    __pairs = function(t) hits = hits + 1; collectgarbage(); return next, t, nil end,
    __len = function() hits = hits + 1; collectgarbage(); return 2 end,
  }
end
local function wrap(t, answer)
  for k, v in next, t do
    if type(v) == "table" and getmetatable(v) == nil then rawset(t, k, wrap(v, answer)) end
  end
  return setmetatable(t, meta(answer))
end
local function P(t) return wrap(t, false) end
local function G(t) return wrap(t, true) end

local clock = lab.clock.new()
local store = lab.cache.store{}
local limiter = lab.ratelimit.gcra{rate = 1, burst = 1}

-- One call per function, its tables through P or G. A function that takes
-- no table is listed with plain arguments, so that a new function cannot be
-- missed: the test fails on any function of lab not listed here.
local calls = {
  ["cache.new"] = function() return lab.cache.new(P{capacity = 3, clock = clock, ttl = 5}) end,
  ["cache.simulate"] = function()
    return lab.cache.simulate(P{workload = {"a", "b", "a"}, policies = {"lru", "opt"},
                                sizes = {1, 2}})
  end,
  ["cache.trace"] = function() return lab.cache.trace(G{workload = "loop", keys = 3, requests = 9}) end,
  ["cache.store"] = function() return lab.cache.store(G{latency = 0.01}) end,
  ["cache.writer"] = function() return lab.cache.writer(G{store = store, policy = "write-back"}) end,
  ["cache.stampede"] = function() return lab.cache.stampede(G{duration = 10}) end,
  ["clock.new"] = function() return lab.clock.new(5) end,
  ["rand.new"] = function() return lab.rand.new(1) end,
  ["hash.hash64"] = function() return lab.hash.hash64("a") end,
  ["hash.mix64"] = function() return lab.hash.mix64(1) end,
  ["hash.ketama"] = function() return lab.hash.ketama("a", 1) end,
  ["hash.jump"] = function() return lab.hash.jump("a", 10) end,
  ["hash.movement"] = function() return lab.hash.movement(G{scheme = "modulo", keys = 100}) end,
  ["hash.ring"] = function() return lab.hash.ring(G{vnodes = 4, nodes = {"a", {"b", 2}, {name = "c"}}}) end,
  ["hash.rendezvous"] = function() return lab.hash.rendezvous(G{"a", {"b", 2}}) end,
  ["hash.maglev"] = function() return lab.hash.maglev(G{size = 7, nodes = {"a", "b"}}) end,
  ["httpcache.evaluate"] = function()
    return lab.httpcache.evaluate(G{now = 10, request = {headers = {["Cache-Control"] = {"max-age=5"}}},
      response = {status = 200, headers = {Date = 0, ["Cache-Control"] = "max-age=60", ETag = '"v"'}}})
  end,
  ["httpcache.origin"] = function()
    return lab.httpcache.origin(G{request = {headers = {["If-None-Match"] = '"v"'}}})
  end,
  ["httpcache.date"] = function() return lab.httpcache.date(0) end,
  ["httpcache.parse_date"] = function() return lab.httpcache.parse_date("Sun, 06 Nov 1994 08:49:37 GMT") end,
  ["httpcache.etag_match"] = function() return lab.httpcache.etag_match('"a"', '"a"') end,
  ["lb.new"] = function() return lab.lb.new(G{strategy = "swrr", backends = {G{}, G{weight = 2}, "c"}}) end,
  ["lb.simulate"] = function()
    return lab.lb.simulate(G{requests = 1000, backends = {G{}, G{service = {dist = "const"}}},
      events = {{at = 0.1, backend = 2}}, health = {interval = 0.1}})
  end,
  ["plot.bars"] = function() return lab.plot.bars(G{{"a", 1}, {label = "b", value = 2}}, G{}) end,
  ["plot.histogram"] = function() return lab.plot.histogram(P{1, 2, 3}, G{percentiles = {50}}) end,
  ["plot.bins"] = function() return lab.plot.bins(P{1, 2, 3}, G{}) end,
  ["plot.sparkline"] = function() return lab.plot.sparkline(P{1, 2, 3}, G{}) end,
  ["plot.lines"] = function() return lab.plot.lines(G{series = {one = {y = {1, 2}}, two = {1, 3}}}) end,
  ["plot.scatter"] = function() return lab.plot.scatter(G{x = {1, 2}, y = {2, 1}}) end,
  ["plot.ticks"] = function() return lab.plot.ticks(1, 100, G{log = true}) end,
  ["plot.config"] = function() return lab.plot.config() end,
  ["pool.new"] = function() return lab.pool.new(G{rate = 10, duration = 1}) end,
  ["pool.simulate"] = function() return lab.pool.simulate(G{rate = 10, duration = 1}) end,
  ["pool.sweep"] = function() return lab.pool.sweep(G{rate = 10, duration = 1, sizes = {1, 2}}) end,
  ["pool.capacity"] = function() return lab.pool.capacity(4, G{}) end,
  ["ratelimit.new"] = function() return lab.ratelimit.new(P{algorithm = "gcra", rate = 1, burst = 2}) end,
  ["ratelimit.token_bucket"] = function() return lab.ratelimit.token_bucket(P{rate = 1, burst = 2}) end,
  ["ratelimit.leaky_bucket"] = function() return lab.ratelimit.leaky_bucket(P{rate = 1, capacity = 2}) end,
  ["ratelimit.leaky_queue"] = function() return lab.ratelimit.leaky_queue(P{rate = 1, capacity = 2}) end,
  ["ratelimit.fixed_window"] = function() return lab.ratelimit.fixed_window(P{limit = 1, window = 2}) end,
  ["ratelimit.sliding_log"] = function() return lab.ratelimit.sliding_log(P{limit = 1, window = 2}) end,
  ["ratelimit.sliding_window"] = function() return lab.ratelimit.sliding_window(P{limit = 1, window = 2}) end,
  ["ratelimit.gcra"] = function() return lab.ratelimit.gcra(P{rate = 1, burst = 2}) end,
  ["queue.erlang_c"] = function() return lab.queue.erlang_c(P{arrival = 1, service = 2}) end,
  ["queue.erlang_b"] = function() return lab.queue.erlang_b(P{arrival = 1, service = 2}) end,
  ["queue.simulate"] = function()
    return lab.queue.simulate(P{arrival = 1, service = 2, requests = 10, service_times = "uniform"})
  end,
  ["queue.curve"] = function() return lab.queue.curve(P{service = 2, points = 3}) end,
  ["resilience.simulate"] = function()
    return lab.resilience.simulate(G{duration = 2, drain = 1,
      services = {{name = "a", limit = {rate = 5, burst = 2}, calls = {{to = "b", weight = 2,
        breaker = {window = 4, min_calls = 2}, retries = 1, jitter = "full"}}}, {name = "b"}},
      client = {rate = 10, entry = "a", bursts = {{at = 1, count = 3}}},
      faults = {{service = "b", at = 0.5, ["until"] = 1, mode = "error"}}})
  end,
  ["resilience.backoff"] = function() return lab.resilience.backoff(P{jitter = "equal"}) end,
  ["resilience.breaker"] = function() return lab.resilience.breaker(P{window = 3, min_calls = 2}) end,
  ["resilience.budget"] = function() return lab.resilience.budget(P{ratio = 0.2}) end,
  ["resilience.keys"] = function()
    return lab.resilience.keys(G{keys = 100, skew = 1.1, n = 20, seed = 3, writes = 0.3})
  end,
  ["resilience.shard"] = function() return lab.resilience.shard(42, 3) end,
  ["resilience.simulate keys"] = function()
    return lab.resilience.simulate(G{duration = 2, drain = 1,
      services = {{name = "a", cache = 5, route = "key", write_latency = 0.02,
                   calls = {{to = "b", ops = "read"}, {to = "c", ops = "write", async = true}}},
                  {name = "b"}, {name = "c", read_only = true}},
      client = {rate = 10, keys = 50, skew = 0.8, writes = 0.2}})
  end,
  ["ratelimit.simulate"] = function()
    lab.ratelimit.simulate(P{limiter = limiter, arrivals = {1, 2, 3}})
    return lab.ratelimit.simulate(P{limiter = {algorithm = "token_bucket", rate = 1, burst = 1},
                                    arrivals = {pattern = "trace", times = {1, 2}}})
  end,
  ["net.nat"] = function() return lab.net.nat(G{mapping = "address"}) end,
  ["net.supernet"] = function() return lab.net.supernet(P{"10.0.0.0/24", "10.0.1.0/24"}) end,
  ["net.range"] = function() return lab.net.range("10.0.0.1", "10.0.0.6") end,
  ["net.cidr"] = function() return lab.net.cidr("10.1.0.0/16") end,
  ["net.parse"] = function() return lab.net.parse("10.1.0.1") end,
  ["net.canonical"] = function() return lab.net.canonical("2001:DB8:0:0:0::1") end,
  ["dns.encode"] = function()
    return lab.dns.encode(P{id = 1, questions = P{P{name = "a.", type = "A"}},
      answers = P{P{name = "a.", type = "A", ttl = 1, data = "192.0.2.1"}}}, P{compress = true})
  end,
  ["dns.decode"] = function() return lab.dns.decode(lab.dns.encode{id = 1}) end,
  ["dns.decode_name"] = function() return lab.dns.decode_name("\1a\0", 0) end,
  ["dns.encode_name"] = function() return lab.dns.encode_name("a.example") end,
  ["dns.query"] = function() return lab.dns.query("a.root-servers.net", "example.com", "A") end,
  ["dns.resolver"] = function() return lab.dns.resolver():resolve("www.example.com") end,
  ["dns.roots"] = function() return lab.dns.roots() end,
  ["dns.servers"] = function() return lab.dns.servers() end,
  ["dns.zones"] = function() return lab.dns.zones() end,
  ["http.parse_request"] = function() return lab.http.parse_request("GET / HTTP/1.1\r\n\r\n") end,
  ["http.parse_response"] = function()
    return lab.http.parse_response("HTTP/1.1 200 OK\r\n\r\nx", G{})
  end,
  ["http.parser"] = function() return lab.http.parser(G{type = "request"}):feed("GET / HTTP/1.1\r\n\r\n") end,
  ["http.serialize_request"] = function()
    return lab.http.serialize_request(G{method = "GET", target = "/", body = "x",
      headers = P{P{"Host", "a"}, P{name = "A", value = "b"}}})
  end,
  ["http.serialize_response"] = function()
    return lab.http.serialize_response(G{status = 200, reason = "OK", chunked = true,
      headers = P{P{"A", "b"}}, trailers = P{P{"T", "v"}}})
  end,
  ["http.dechunk"] = function() return lab.http.dechunk("1\r\na\r\n0\r\n\r\n") end,
  ["http.chunk"] = function() return lab.http.chunk("ab", 1, P{P{"X", "y"}}) end,
  ["http.header"] = function() return lab.http.header(P{headers = P{P{name = "a", value = "b"}}}, "a") end,
  ["http.hpack_decoder"] = function() return lab.http.hpack_decoder(G{}):decode("\x82") end,
  ["http.hpack_encoder"] = function()
    return lab.http.hpack_encoder(G{}):encode(P{P{"a", "b"}, P{name = "c", value = "d"}}, P{})
  end,
  ["http.hpack_integer"] = function() return lab.http.hpack_integer(1337, 5) end,
  ["http.hpack_read_integer"] = function() return lab.http.hpack_read_integer("\x1f\x9a\x0a", 5) end,
  ["http.hpack_static"] = function() return lab.http.hpack_static() end,
  ["http.huffman_encode"] = function() return lab.http.huffman_encode("abc") end,
  ["http.huffman_decode"] = function() return lab.http.huffman_decode(lab.http.huffman_encode("abc")) end,
  ["tcp.new"] = function() return lab.tcp.new(G{drop = P{2}}) end,
  ["tcp.simulate"] = function() return lab.tcp.simulate(G{bytes = 3000, drop = P{5}}) end,
  ["tcp.transition"] = function() return lab.tcp.transition("LISTEN", "rcv_syn") end,
  ["tcp.states"] = function() return lab.tcp.states() end,
  ["tcp.events"] = function() return lab.tcp.events() end,
  ["tcp.rto"] = function() return lab.tcp.rto(G{}):sample(0.1) end,
  ["url.parse"] = function() return lab.url.parse("../a?b#c", "http://h/x/y") end,
  ["url.resolve"] = function() return lab.url.resolve("http://a/b/c/d;p?q", "../g") end,
  ["url.remove_dot_segments"] = function() return lab.url.remove_dot_segments("/a/./b/../c") end,
  ["url.percent_encode"] = function() return lab.url.percent_encode("a b", "path") end,
  ["url.percent_decode"] = function() return lab.url.percent_decode("a%20b") end,
}
-- module 06 apis (lessons 01-09): json, proto, ws, sse
local function gc_design()
  return G{{name = "web", kind = "app", instances = 2, route = "one",
            calls = {{to = "db", timeout = 0.5, retries = 1, breaker = {window = 4, min_calls = 2}}}},
           {name = "db", kind = "db"}}
end
calls["design.run"] = function()
  return lab.design.run(gc_design(), G{rate = 20, duration = 2, drain = 1,
    bursts = {{at = 1, count = 3}}, faults = {{component = "db", at = 0.5, ["until"] = 1}}},
    G{db = {price = 1}})
end
calls["design.evaluate"] = function()
  return lab.design.evaluate(gc_design(), G{workload = {rate = 20, duration = 2, drain = 1},
    requirements = {p99 = 1, success = 0.5}, seeds = {1, 2}, kinds = {db = {price = 1}}})
end
calls["design.cost"] = function() return lab.design.cost(gc_design(), G{size = 10}) end
calls["design.describe"] = function() return lab.design.describe(gc_design(), G{rate = 1}) end
calls["json.decode"] = function() return lab.json.decode('{"a": [1, {}]}', G{max_depth = 8}) end
calls["json.encode"] = function()
  return lab.json.encode(G{a = P{1, 2, P{b = "x"}}, c = lab.json.array(P{})}, G{ascii = true})
end
calls["json.array"] = function() return lab.json.array(P{1, 2}) end
calls["json.object"] = function() return lab.json.object(P{a = 1}) end
local schema = lab.proto.schema(P{M = P{P{1, "a", "int32"}, P{2, "m", "M"},
  P{3, "r", "sint64", "repeated"}}})
calls["proto.schema"] = function()
  return schema:decode("M", schema:encode("M", G{a = 1, m = G{a = 2}, r = P{-1, 2}}))
end
calls["proto.fields"] = function() return lab.proto.fields("\8\150\1") end
calls["proto.varint"] = function() return lab.proto.varint(150) end
calls["proto.read_varint"] = function() return lab.proto.read_varint("\150\1", 1) end
calls["proto.zigzag"] = function() return lab.proto.zigzag(-2, 32) end
calls["proto.unzigzag"] = function() return lab.proto.unzigzag(3) end
calls["ws.accept"] = function() return lab.ws.accept("dGhlIHNhbXBsZSBub25jZQ==") end
calls["ws.encode"] = function()
  return lab.ws.encode(G{opcode = "close", code = 1000, payload = "x", mask = "abcd"})
end
calls["ws.decode"] = function() return lab.ws.decode("\129\1x") end
calls["ws.mask"] = function() return lab.ws.mask("abc", "wxyz", 1) end
calls["ws.close_ok"] = function() return lab.ws.close_ok(1000) end
calls["ws.reader"] = function() return lab.ws.reader(G{role = "client"}):feed("\129\1x") end
calls["sse.parser"] = function() return lab.sse.parser():feed("data: x\n\n") end
calls["sse.parse"] = function() return lab.sse.parse("id: 1\ndata: x\n\n") end
calls["sse.format"] = function() return lab.sse.format(G{id = "1", data = "a\nb", retry = 5}) end
-- databases
calls["sql.open"] = function() return lab.sql.open(nil, G{seed = 2}) end
calls["sql.datasets"] = function() return lab.sql.datasets() end
local tiny = ("SQLite format 3\0\2\0\1\1\0\64\32\32") .. ("\0"):rep(512 - 24)
calls["sql.file"] = function() return pcall(lab.sql.file, "tiny.db") end
calls["sql.header"] = function() return lab.sql.header(tiny) end
calls["sql.page"] = function() return pcall(lab.sql.page, tiny, 1) end
calls["sql.cell"] = function() return pcall(lab.sql.cell, tiny, 1, 1) end
calls["sql.varint"] = function() return lab.sql.varint("\129\0") end
calls["btree.new"] = function() return lab.btree.new(G{order = 5}) end
calls["hll.new"] = function() return lab.hll.new(G{precision = 4}) end
calls["hll.hash"] = function() return lab.hll.hash("a") end
calls["hll.position"] = function() return lab.hll.position("a", 10) end
calls["hll.error"] = function() return lab.hll.error(14) end
calls["feed.run"] = function()
  return lab.feed.run(P{accounts = {10, 20}, users = 100, duration = 2, readers = 5,
    posts_at = {{at = 0, author = 1}}, rule = function() return "write" end})
end
calls["metrics.registry"] = function()
  local r = lab.metrics.registry()
  r:counter(G{name = "c"}); r:inc("c", P{code = "1"})
  r:histogram(G{name = "h", buckets = P{1, 2}}); r:observe("h", P{a = "x"}, 1.5)
  r:summary(G{name = "s", quantiles = P{0.5}})
  return r:expose()
end
calls["metrics.parse"] = function() return lab.metrics.parse("a 1\n") end
calls["metrics.rate"] = function() return lab.metrics.rate(P{{1, 1}, {2, 2}}, G{range = 10}) end
calls["metrics.increase"] = function() return lab.metrics.increase(P{{1, 1}, {2, 2}}, G{range = 10}) end
calls["metrics.resets"] = function() return lab.metrics.resets(P{{1, 1}, {2, 0}}, G{range = 10}) end
calls["metrics.histogram_quantile"] = function()
  return lab.metrics.histogram_quantile(0.5, P{{1, 1}, {"+Inf", 2}})
end
calls["metrics.native_bucket"] = function() return lab.metrics.native_bucket(3, 2) end
calls["metrics.hdr"] = function() return lab.metrics.hdr(G{sigfigs = 2}) end
calls["serverless.simulate"] = function()
  lab.serverless.simulate(G{arrivals = P{0, 0.5, 1}, work = 1})
  return lab.serverless.simulate(G{rate = 5, seconds = 20, work = 0.5, bucket = 5,
    steps = P{P{at = 10, rate = 20}}})
end
calls["slo.series"] = function()
  return lab.slo.series(G{duration = 600, incidents = P{P{at = 60, duration = 60, error_rate = 1}}})
end
calls["slo.evaluate"] = function()
  return lab.slo.evaluate(G{slo = 0.99, series = P{step = 60, total = P{1, 1}, bad = P{0, 1}},
    rules = P{P{long = 120, short = 60, factor = 1}}})
end
calls["slo.evaluate counters"] = function()
  return lab.slo.evaluate(G{slo = 0.99, series = P{step = 60, t = P{0, 60, 120},
    requests = P{0, 10, 20}, errors = P{0, 1, 5}}, rules = P{P{long = 120, short = 60, factor = 1}}})
end
calls["slo.detection"] = function() return lab.slo.detection(G{slo = 0.999, error_rate = 1}) end
calls["slo.rules"] = function() return lab.slo.rules() end
calls["slo.budget"] = function() return lab.slo.budget(G{slo = 0.999}) end
calls["logs.parse"] = function() return lab.logs.parse("a=1", G{format = "logfmt"}) end
calls["logs.query"] = function()
  return lab.logs.query(P{P{a = "1"}}, G{where = P{a = "1"}, by = P{"a"}, of = "a"})
end
calls["logs.sample"] = function() return lab.logs.sample("a=1\nb=2", G{rate = 0.5, keep = P{a = "1"}}) end
calls["logs.cardinality"] = function() return lab.logs.cardinality("a=1", G{labels = P{"a"}}) end
calls["logs.generate"] = function() return lab.logs.generate(G{n = 3, seed = 1}) end
calls["trace.parse"] = function() return lab.trace.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") end
calls["trace.start"] = function() return lab.trace.start(G{seed = 1}) end
calls["trace.child"] = function() return lab.trace.child("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 2) end
calls["trace.state"] = function() return lab.trace.state("a=1") end
calls["trace.state_set"] = function() return lab.trace.state_set("a=1", "b", "2") end
calls["trace.assemble"] = function()
  return lab.trace.assemble(P{P{id = "a", start = 0, finish = 2}, P{id = "b", parent = "a", start = 0, duration = 1}})
end
calls["trace.waterfall"] = function()
  return lab.trace.waterfall(P{P{id = "a", start = 0, finish = 2}}, G{width = 20})
end
calls["cms.new"] = function() return lab.cms.new(G{width = 8, depth = 2, top = 2}) end
calls["cms.size"] = function() return lab.cms.size(0.01, 0.01) end
calls["bloom.new"] = function() return lab.bloom.new(G{bits = 64, hashes = 3}) end
calls["bloom.hash"] = function() return lab.bloom.hash("a") end
calls["bloom.fp_rate"] = function() return lab.bloom.fp_rate(100, 3, 10) end
calls["bloom.size"] = function() return lab.bloom.size(100, 0.01) end
calls["bloom.counting"] = function() return lab.bloom.counting(G{counters = 64, hashes = 3}) end
calls["search.index"] = function() return lab.search.index(G{stopwords = {"a", "the"}, stemmer = "porter"}) end
calls["search.stem"] = function() return lab.search.stem("running") end
calls["trie.new"] = function() return lab.trie.new() end
calls["search.evaluate"] = function()
  return lab.search.evaluate(P{P{id = "a"}, "b"}, P{a = 1, b = 2}, 2)
end
calls["lsm.new"] = function() return lab.lsm.new(G{memtable = 4, policy = "tiered"}) end
calls["lsm.merge"] = function() return lab.lsm.merge(P{P{1, "a"}, P{2}}, P{P{1, "b"}}, true) end
calls["wal.new"] = function() return lab.wal.new(G{pages = 4, synchronous = "normal"}) end
calls["wal.replay"] = function()
  return lab.wal.replay(P{1, 2}, P{P{type = "write", tx = 1, page = 1, value = 5}, P{type = "commit", tx = 1}})
end
calls["mvcc.new"] = function() return lab.mvcc.new(P{isolation = "serializable"}) end
calls["locks.new"] = function() return lab.locks.new(G{victim = "fewest_locks"}) end
calls["locks.find_cycle"] = function() return lab.locks.find_cycle(P{P{1, 2}, P{2, 1}}) end
calls["locks.simulate"] = function() return lab.locks.simulate(G{strategy = "unique", duration = 1}) end
for _, f in ipairs{"closure", "keys", "normal_form", "cover", "decompose", "lossless", "preserving"} do
  local args = {
    closure = {P{"A"}, P{"A -> B", P{"B", "C"}}}, keys = {"ABC", P{"A -> B"}},
    normal_form = {"ABC", P{"A -> B"}}, cover = {P{"A -> B"}}, decompose = {"ABC", P{"A -> B"}, "bcnf"},
    lossless = {"ABC", P{"A -> B"}, P{"AB", "AC"}}, preserving = {P{"A -> B"}, P{"AB", "AC"}},
  }
  calls["schema." .. f] = function() return lab.schema[f](table.unpack(args[f])) end
end
-- the hash functions of lab.crypto and lab.digest take strings only
for _, f in ipairs{"md5", "sha1", "sha256", "sha384", "sha512", "hex", "base64", "base64url"} do
  calls["crypto." .. f] = function() return lab.crypto[f]("abc") end
end
for _, f in ipairs{"md5", "sha1", "sha256", "sha384", "sha512"} do
  calls["digest." .. f] = function() return lab.digest[f]("abc") end
end
calls["crypto.unhex"] = function() return lab.crypto.unhex("00ff") end
calls["crypto.base64_decode"] = function() return lab.crypto.base64_decode("YWJj") end
calls["crypto.base64url_decode"] = function() return lab.crypto.base64url_decode("YWJj") end
calls["crypto.digest"] = function() return lab.crypto.digest("sha256", "abc") end
calls["crypto.hmac"] = function() return lab.crypto.hmac("sha256", "k", "m") end
calls["crypto.pbkdf2"] = function() return lab.crypto.pbkdf2("sha256", "p", "s", 2, 16) end
calls["crypto.scrypt"] = function() return lab.crypto.scrypt("p", "s", 16, 1, 1, 16) end
calls["crypto.bcrypt"] = function() return lab.crypto.bcrypt("p", 4, ("s"):rep(16)) end
calls["crypto.bcrypt_verify"] = function() return lab.crypto.bcrypt_verify("p", lab.crypto.bcrypt("p", 4, ("s"):rep(16))) end
calls["crypto.hkdf"] = function() return lab.crypto.hkdf("sha256", "k", "s", "i", 16) end
calls["crypto.hkdf_extract"] = function() return lab.crypto.hkdf_extract("sha256", "s", "k") end
calls["crypto.hkdf_expand"] = function() return lab.crypto.hkdf_expand("sha256", ("p"):rep(32), "i", 16) end
calls["crypto.equal"] = function() return lab.crypto.equal("a", "a") end
calls["digest.bytes"] = function() return lab.digest.bytes("sha256", "abc") end
calls["digest.info"] = function() return lab.digest.info("sha256") end

-- lab.sim and the namespaces built on it (the distributed-data module)
local simnode = {start = function(n) n:send(n.id, {a = {1, 2}}) end}
calls["interleave.explore"] = function()
  local t = P{P{"read", "x", "r", label = "top"}, P{"add", "r", 1}, P{"cas", "x", 0, "r", "ok"},
    P{"jz", "ok", "top"}, P{"lock", "m"}, P{"unlock", "m"}}
  return lab.interleave.explore(G{vars = P{x = 0}, sems = P{s = 1}, threads = P{t, t},
    expect = function(v) return v.x == 2 end})
end
calls["interleave.run"] = function()
  local t = P{P{"read", "x", "r"}, P{"add", "r", 1}, P{"write", "x", "r"}}
  return lab.interleave.run(G{vars = P{x = 0}, threads = P{t, t}, schedule = P{1, 2, 1, 2, 1, 2}})
end
calls["os.paging"] = function()
  return lab.os.paging(G{refs = P{1, 2, 3, 4, 1, 2, 5}, frames = 3, policy = "clock", trace = true})
end
calls["os.belady"] = function() return lab.os.belady(G{tries = 10}) end
calls["os.tlb"] = function() return lab.os.tlb(G{addresses = P{0, 4096, 8192}, entries = 2}) end
calls["os.pagetable"] = function()
  return lab.os.pagetable(G{levels = P{9, 9, 9, 9}, addresses = P{0, 4096}})
end
calls["os.split"] = function() return lab.os.split(G{address = 4097, levels = P{10, 10}, page_bits = 12}) end
calls["os.workload"] = function() return lab.os.workload(G{kind = "loop", n = 10}) end
calls["eventloop.run"] = function()
  return lab.eventloop.run(function(l) l:timeout(1, function() l:log("t") end) end, G{startup_ms = 1})
end
calls["eventloop.serve"] = function() return lab.eventloop.serve(G{model = "pool", requests = 50}) end
calls["lin.check"] = function()
  return lab.lin.check(G{model = "kv", history = P{
    G{f = "put", key = "x", value = 1, invoke = 0, complete = 1},
    G{op = G{f = "get", key = "x"}, result = 1, invoke = 2, complete = 3}}})
end
calls["pipeline.run"] = function()
  return lab.pipeline.run(G{jobs = {{name = "a", duration = 2, cache = 1},
    {name = "b", duration = 1, needs = {"a"}, flaky = 0.5}, {name = "g", duration = 1, gate = true}},
    workers = 1, retries = 1, warm = true})
end
calls["pipeline.critical_path"] = function()
  return lab.pipeline.critical_path(G{jobs = {{name = "a", duration = 2}, {name = "b", duration = 1, needs = "a"}}})
end
local recwant = {G{id = "n", type = "vpc", attrs = G{c = "x"}},
  G{id = "d", attrs = G{s = 1, e = true}, depends_on = P{"n"}, force_new = P{"e"}}}
calls["reconcile.plan"] = function() return lab.reconcile.plan(P(recwant), P{G{id = "n", attrs = G{c = "y"}}}) end
calls["reconcile.apply"] = function() return lab.reconcile.apply(P(recwant), P{}) end
calls["reconcile.loop"] = function()
  return lab.reconcile.loop(G{desired = P(recwant), interval = 10, time = 50, fail = 0.2,
    drift = P{G{at = 5, id = "d", set = G{s = 2}}, G{at = 20, id = "d", delete = true}}})
end
calls["lin.parse_jepsen"] = function()
  return lab.lin.parse_jepsen("INFO  jepsen.util - 1\t:invoke\t:read\tnil\n")
end
calls["sim.new"] = function()
  local s = lab.sim.new(G{nodes = 3, seed = 1, latency = G{dist = "uniform", min = 0.001, max = 0.002},
    faults = P{P{at = 1, partition = P{P{1}, P{2, 3}}}, P{at = 2, block = P{from = P{1}, to = P{2}}}},
    nemesis = P{faults = P{"crash"}, stop = 10}})
  s:node(P{1, 2}, simnode)
  s:fault(P{at = 3, heal = true})
  s:request(P{at = 1, node = 1, op = P{f = "read", keys = P{"a"}}})
  s:run(4)
  s:trace(P{nodes = P{1}, kinds = P{"send"}}) s:records(G{}) s:diagram(G{}) s:timeline(G{})
  s:draw_history(G{})
  return s:history()
end
calls["sim.draw_history"] = function()
  return lab.sim.draw_history(P{P{client = 1, invoke = 0, complete = 1, label = "w"}}, G{})
end
calls["sim.size"] = function() return lab.sim.size(P{a = P{1, 2}, b = "x"}) end
calls["sim.isolate"] = function()
  return lab.sim.isolate("return {}", P{pairs = pairs, string = P{rep = string.rep}})
end
calls["sim.check"] = function()
  return lab.sim.check(G{runs = 1, time = 1, build = function(seed)
    return lab.sim.new{nodes = 1, seed = seed, node = simnode}
  end, property = function() return "no", P{at = 1, nodes = P{1}} end})
end
calls["crdt.new"] = function() return lab.crdt.new("orset", 1):add("x"):value() end
calls["crdt.laws"] = function() return lab.crdt.laws(G{type = "gset", cases = 2}) end
calls["clocks.lamport"] = function() return lab.clocks.lamport():tick() end
calls["clocks.vector"] = function() return lab.clocks.vector(2, 1):recv(P{1, 2}) end
calls["clocks.compare"] = function() return lab.clocks.compare(P{1, 0}, P{a = 1}) end
calls["clocks.merge"] = function() return lab.clocks.merge(P{1, 0}, P{0, 1}) end
calls["clocks.hlc"] = function() return lab.clocks.hlc():now(1) end
calls["clocks.store"] = function()
  local s = lab.clocks.store(1, 2)
  return s:put("k", "v", P{0, 0}):get("k")
end
calls["clocks.history"] = function() return lab.clocks.history(G{events = 5}) end
calls["merkle.tree"] = function() return lab.merkle.tree(P{a = "1"}, G{depth = 2}):root() end
calls["merkle.diff"] = function()
  return lab.merkle.diff(lab.merkle.tree(P{a = "1"}, G{}), lab.merkle.tree(P{a = "2"}, G{}))
end
calls["partition.load"] = function() return lab.partition.load(G{keys = 100}) end
calls["partition.rebalance"] = function() return lab.partition.rebalance(G{keys = 100}) end
calls["txn.twopc"] = function()
  return lab.txn.twopc(G{participants = 2, time = 2, crash = P{P{node = 1, step = "after_log", down = 0.5}}})
end
calls["txn.threepc"] = function() return lab.txn.threepc(G{participants = 2, time = 2, partition = 1}) end
calls["txn.saga"] = function()
  return lab.txn.saga(G{steps = 2, fail = 2, time = 2, crash = P{P{node = 1, step = "after_step"}}})
end
calls["txn.outbox"] = function() return lab.txn.outbox(G{orders = 3, time = 2, mode = "dual"}) end
calls["txn.node"] = function()
  return lab.txn.node("participant", G{crash = P{P{node = 0, step = "after_vote"}}})
end
calls["txn.decision"] = function()
  local s = lab.sim.new{nodes = 2, seed = 1}
  s:node(1, lab.txn.node("coordinator", G{}))
  s:node(2, lab.txn.node("participant", G{}))
  s:request(G{at = 0.1, node = 1, op = P{f = "txn", deltas = P{[2] = 1}}})
  s:run(1)
  return lab.txn.decision(s, 1, 1)
end
calls["txn.service"] = function()
  local r = lab.txn.saga(G{steps = 2, time = 1, keep = true})
  return lab.txn.service(r.sim, 2, 1)
end
calls["txn.steps"] = function() return lab.txn.steps() end
calls["gossip.spread"] = function() return lab.gossip.spread(G{nodes = 4, time = 2}) end
calls["gossip.swim"] = function() return lab.gossip.swim(G{nodes = 4, time = 3}) end
calls["gossip.heartbeat"] = function() return lab.gossip.heartbeat(G{nodes = 3, time = 3}) end
calls["gossip.discovery"] = function() return lab.gossip.discovery(G{nodes = 3, time = 3, lookups = 2}) end
calls["gossip.node"] = function() return lab.gossip.node("swim", G{}) end
calls["gossip.view"] = function()
  local s = lab.sim.new{nodes = 2, seed = 1, node = lab.gossip.node("swim", G{})}
  s:run(1)
  return lab.gossip.view(s, 1)
end
calls["gossip.suspicion_timeout"] = function() return lab.gossip.suspicion_timeout(4, 10, 1) end
calls["gossip.retransmit_limit"] = function() return lab.gossip.retransmit_limit(4, 10) end
calls["gossip.remaining_suspicion"] = function() return lab.gossip.remaining_suspicion(1, 3, 0, 1, 6) end
calls["raft.node"] = function() return lab.raft.node(G{term = 2, log = P{1, 2}}) end
calls["raft.run"] = function() return lab.raft.run(G{nodes = 3, time = 1}) end
calls["raft.check"] = function() return lab.raft.check(G{nodes = 3, time = 1, runs = 2}) end
local function raft_sim()
  local s = lab.sim.new{nodes = 3, seed = 1, node = lab.raft.node{}}
  s:run(1)
  return s
end
calls["raft.view"] = function() return lab.raft.view(raft_sim(), 1) end
calls["raft.entry"] = function() return lab.raft.entry(raft_sim(), 1, 1) end
calls["raft.get"] = function() return lab.raft.get(raft_sim(), 1, "x") end
calls["raft.show"] = function() return lab.raft.show(raft_sim()) end
calls["raft.timeline"] = function() return lab.raft.timeline(raft_sim(), G{width = 50}) end
calls["raft.up_to_date"] = function() return lab.raft.up_to_date(1, 1, 1, 2) end
calls["raft.prev_ok"] = function() return lab.raft.prev_ok(P{1, 2}, 2, 2) end
calls["raft.append"] = function() return lab.raft.append(P{1, 2}, 1, 1, P{3}) end
calls["raft.commit_index"] = function()
  return lab.raft.commit_index(G{log = P{1, 1}, match = P{2, 0}, term = 1})
end
calls["raft.auditor"] = function()
  local a = lab.raft.auditor(G{nodes = 2})
  return a:observe(1, P{role = "leader", term = 1, log = P{P{term = 1, op = P{1}}}})
end
calls["replication.leader"] = function()
  return lab.replication.leader(G{time = 3, partition = P{nodes = P{1}, from = 1, to = 2}})
end
calls["replication.quorum"] = function() return lab.replication.quorum(G{time = 3}) end
calls["replication.multi"] = function() return lab.replication.multi(G{time = 3}) end
calls["replication.node"] = function() return lab.replication.node("quorum", G{}) end
calls["replication.check"] = function()
  return lab.replication.check(lab.replication.quorum(G{time = 3, keep = true}).sim)
end

-- the security namespaces
local T = lab.jwt.sign({sub = "a", exp = 10}, "k")
local CERT = lab.tls.cert{subject = "r", key = "rk", ca = true, not_before = 0, not_after = 9}
local AS = lab.oauth.server{clients = {{id = "a", redirect_uris = {"x"}}}}
calls["crypto.timing"] = function() return lab.crypto.timing(G{secret = "ab", seed = 2}) end
calls["firewall.new"] = function()
  return lab.firewall.new(G{interfaces = {{"eth0", "10.0.0.1/24"}}})
end
calls["jwt.decode"] = function() return lab.jwt.decode(T) end
calls["jwt.json"] = function() return lab.jwt.json(P{b = {1, 2}, a = P{x = true}}) end
calls["jwt.sign"] = function() return lab.jwt.sign(P{sub = "a"}, "k", "HS256", P{kid = "1"}) end
calls["jwt.signature"] = function() return lab.jwt.signature("a.b", "k", "HS256") end
calls["jwt.verify"] = function()
  return lab.jwt.verify(T, P{kty = "oct", k = "aw"}, G{algorithms = {"HS256"}, now = 1,
    require = {"exp"}})
end
calls["jwt.verify_jws"] = function() return lab.jwt.verify_jws(T, "k", G{algorithms = {"HS256"}}) end
calls["jwt.target"] = function()
  return lab.jwt.target(G{bug = "none", key = "k", algorithms = {"HS256"}, now = 1})
end
calls["oauth.challenge"] = function() return lab.oauth.challenge(lab.oauth.verifier(1)) end
calls["oauth.verifier"] = function() return lab.oauth.verifier(1) end
calls["oauth.server"] = function()
  return lab.oauth.server(G{clients = {{id = "a", redirect_uris = {"x"}}}, users = {alice = "pw"}})
end
calls["oauth.app"] = function()
  return lab.oauth.app(G{server = AS, client_id = "a", redirect_uri = "x"})
end
calls["otp.hotp"] = function() return lab.otp.hotp("k", 1) end
calls["otp.totp"] = function() return lab.otp.totp("k", 59) end
calls["otp.verify"] = function() return lab.otp.verify("k", "123456", 59, G{window = 1}) end
calls["otp.verify_hotp"] = function() return lab.otp.verify_hotp("k", "123456", 0, G{}) end
calls["otp.base32"] = function() return lab.otp.base32("ab") end
calls["otp.base32_decode"] = function() return lab.otp.base32_decode("MFRA====") end
for _, f in ipairs{"powmod", "mulmod"} do
  calls["pubkey." .. f] = function() return lab.pubkey[f](3, 5, 7) end
end
calls["pubkey.invmod"] = function() return lab.pubkey.invmod(3, 7) end
calls["pubkey.gcd"] = function() return lab.pubkey.gcd(6, 4) end
calls["pubkey.is_prime"] = function() return lab.pubkey.is_prime(7) end
calls["pubkey.next_prime"] = function() return lab.pubkey.next_prime(8) end
calls["pubkey.factor"] = function() return lab.pubkey.factor(15) end
calls["pubkey.dlog"] = function() return lab.pubkey.dlog(5, 8, 23) end
calls["pubkey.dh"] = function() return lab.pubkey.dh(G{p = 23, g = 5, a = 4, b = 3}) end
calls["pubkey.rsa"] = function() return lab.pubkey.rsa(61, 53, 17) end
calls["pubkey.encrypt"] = function() return lab.pubkey.encrypt(65, P{n = 3233, e = 17}) end
calls["pubkey.decrypt"] = function() return lab.pubkey.decrypt(2790, P{n = 3233, d = 2753}) end
calls["pubkey.sign"] = function() return lab.pubkey.sign(65, P{n = 3233, d = 2753}) end
calls["pubkey.verify"] = function() return lab.pubkey.verify(65, 588, P{n = 3233, e = 17}) end
calls["pubkey.pad"] = function() return lab.pubkey.pad(1, 2) end
calls["pubkey.unpad"] = function() return lab.pubkey.unpad(1) end
calls["tls.expand_label"] = function() return lab.tls.expand_label("s", "key", "", 16) end
calls["tls.derive_secret"] = function() return lab.tls.derive_secret("s", "derived", "") end
calls["tls.finished"] = function() return lab.tls.finished(("k"):rep(32), ("t"):rep(32)) end
calls["tls.key_schedule"] = function()
  return lab.tls.key_schedule(G{shared = "s", messages = {ClientHello = "a", ServerHello = "b"}})
end
calls["tls.handshake"] = function() return lab.tls.handshake(G{mtls = true}) end
calls["tls.cert"] = function()
  return lab.tls.cert(G{subject = "a", key = "k", san = {"a"}, not_before = 0, not_after = 9}, CERT)
end
calls["tls.sign"] = function() return lab.tls.sign(P(lab.tls.sign(CERT, "x")), "y") end
calls["tls.verify"] = function()
  return lab.tls.verify(G{chain = {CERT}, roots = {CERT}, now = 1, host = "a"})
end
calls["tls.match_name"] = function() return lab.tls.match_name("*.a.b", "x.a.b") end
calls["tls.mtls"] = function()
  return lab.tls.mtls(G{server_chain = {CERT}, client_chain = {CERT}, client_roots = {CERT},
    server_roots = {CERT}, host = "r", now = 1})
end
calls["web.cors"] = function()
  return lab.web.cors(G{request = {url = "https://a.example/", origin = "https://b.example",
    method = "PUT", headers = {["X-A"] = "1"}}, policy = {origins = {"https://b.example"},
    methods = {"PUT"}, headers = {"X-A"}}})
end
calls["web.csp"] = function()
  return lab.web.csp("script-src 'self'", G{page = "https://a.example/", url = "https://a.example/x.js"})
end
calls["web.jar"] = function() return lab.web.jar() end
calls["web.escape"] = function() return lab.web.escape("html", "<") end
calls["web.decode"] = function() return lab.web.decode("html", "&lt;") end
calls["web.breakout"] = function() return lab.web.breakout("js", "'") end
calls["web.fetch"] = function()
  return lab.web.fetch("http://example.com/", G{guard = "allowlist", allow = {"example.com"}})
end
calls["web.address"] = function() return lab.web.address("127.1") end
calls["web.csrf"] = function() return lab.web.csrf(G{samesite = "Lax"}) end
calls["web.db"] = function() return lab.web.db(1):query("SELECT ?", P{1, n = 1}) end
calls["web.sql_quote"] = function() return lab.web.sql_quote("it's") end

-- lab.dns, lab.http, lab.tcp and lab.url (merged from the protocols branch
-- without entries here): listed with plain arguments, so that the list is
-- complete; their tables go through P/G when their owner wraps them.
calls["dns.encode_name"] = function() return lab.dns.encode_name("example.com") end
calls["dns.decode_name"] = function() return lab.dns.decode_name("\7example\3com\0", 0) end
calls["dns.encode"] = function()
  return lab.dns.encode{id = 1, questions = {{name = "example.com.", type = "A", class = "IN"}}}
end
calls["dns.decode"] = function()
  return lab.dns.decode((lab.dns.encode{id = 1, questions = {{name = "a.", type = "A",
    class = "IN"}}}))
end
calls["dns.query"] = function()
  local s = lab.dns.roots()[1]
  return lab.dns.query(type(s) == "table" and (s.name or s[1]) or s, "example.com")
end
calls["dns.resolver"] = function() return lab.dns.resolver() end
calls["dns.roots"] = function() return lab.dns.roots() end
calls["dns.servers"] = function() return lab.dns.servers() end
calls["dns.zones"] = function() return lab.dns.zones() end
local REQ = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
calls["http.parse_request"] = function() return lab.http.parse_request(REQ) end
calls["http.parse_response"] = function()
  return lab.http.parse_response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
end
calls["http.header"] = function() return lab.http.header(lab.http.parse_request(REQ), "host") end
calls["http.serialize_request"] = function()
  return lab.http.serialize_request{method = "GET", target = "/", headers = {{name = "Host", value = "a"}}}
end
calls["http.serialize_response"] = function()
  return lab.http.serialize_response{status = 200, headers = {}, body = "x"}
end
calls["http.chunk"] = function() return lab.http.chunk("abc") end
calls["http.dechunk"] = function() return lab.http.dechunk("3\r\nabc\r\n0\r\n\r\n") end
calls["http.parser"] = function() return lab.http.parser{type = "request"} end
calls["http.hpack_decoder"] = function() return lab.http.hpack_decoder{} end
calls["http.hpack_encoder"] = function() return lab.http.hpack_encoder{} end
calls["http.hpack_integer"] = function() return lab.http.hpack_integer(10, 5) end
calls["http.hpack_read_integer"] = function() return lab.http.hpack_read_integer("\10", 5) end
calls["http.hpack_static"] = function() return lab.http.hpack_static() end
calls["http.huffman_encode"] = function() return lab.http.huffman_encode("abc") end
calls["http.huffman_decode"] = function()
  return lab.http.huffman_decode(lab.http.huffman_encode("abc"))
end
calls["tcp.new"] = function() return lab.tcp.new{seed = 1} end
calls["tcp.simulate"] = function() return lab.tcp.simulate{bytes = 1000} end
calls["tcp.transition"] = function() return lab.tcp.transition("CLOSED", lab.tcp.events()[1]) end
calls["tcp.states"] = function() return lab.tcp.states() end
calls["tcp.events"] = function() return lab.tcp.events() end
calls["tcp.rto"] = function() return lab.tcp.rto{} end
calls["url.parse"] = function() return lab.url.parse("https://a.example/x?y#z") end
calls["url.resolve"] = function() return lab.url.resolve("http://a/b/c/d;p?q", "../g") end
calls["url.remove_dot_segments"] = function() return lab.url.remove_dot_segments("/a/b/../c") end
calls["url.percent_encode"] = function() return lab.url.percent_encode("a b") end
calls["url.percent_decode"] = function() return lab.url.percent_decode("a%20b") end

-- module 06 apis, the building blocks: router, paging, idem, jsonschema, graphql
calls["router.new"] = function()
  local r = lab.router.new():add("GET", "/users/{id}")
  return r:match("GET", "/users/7"), r:routes()
end
calls["paging.table"] = function()
  local t = lab.paging.table(G{rows = 5, order = "desc"})
  return t:offset(0, 2), t:after(nil, 2)
end
calls["paging.walk"] = function() return lab.paging.walk(G{rows = 20, mode = "cursor", inserts = 1}) end
calls["idem.new"] = function()
  local s = lab.idem.new(G{ttl = 10})
  return s:begin("k", "r", 0), s:finish("k", 201, "ok"), s:stats()
end
calls["idem.simulate"] = function() return lab.idem.simulate(G{payments = 20, slow = 0.1}) end
-- module 09 architecture: broker
calls["broker.queue"] = function()
  local q = lab.broker.queue(G{ack_timeout = 5})
  local c = q:consumer(G{prefetch = 2})
  q:publish("a")
  return q:receive(c, 0)
end
calls["broker.topic"] = function()
  local t, q = lab.broker.topic(), lab.broker.queue{}
  t:subscribe(q, P{color = P{"red", "blue"}, size = "L"})
  return t:publish("x", P{color = "red", size = "L"})
end
calls["broker.simulate"] = function() return lab.broker.simulate(G{messages = 20}) end
calls["log.new"] = function()
  local lg = lab.log.new(G{partitions = 2})
  lg:produce("k", "v")
  local g = lg:group(G{assignor = "sticky"})
  g:join("a")
  return g:poll("a")
end
calls["log.murmur2"] = function() return lab.log.murmur2("k") end
calls["log.partition"] = function() return lab.log.partition("k", 3) end
calls["log.simulate"] = function() return lab.log.simulate(G{messages = 20}) end
calls["events.new"] = function()
  local es = lab.events.new()
  es:append("s", 0, P{P{type = "t", data = "d"}, P{type = "u"}})
  return es:project(function(n) return n + 1 end, 0, "s")
end
calls["cron.next"] = function() return lab.cron.next("*/5 * * * *", "2026-01-01 00:00:00") end
calls["cron.times"] = function() return lab.cron.times("0 0 * * 1", 0, 3) end
calls["cron.matches"] = function() return lab.cron.matches("* * * * *", 60) end
calls["cron.parse"] = function() return lab.cron.parse("0 0 13 * 5") end
calls["cron.time"] = function() return lab.cron.time("2026-01-01 00:00:00") end
calls["cron.date"] = function() return lab.cron.date(0) end
calls["sched.new"] = function()
  local c = lab.sched.new(G{nodes = P{G{name = "a", cpu = "2", memory = "4Gi", zone = "z1",
                                        labels = P{disk = "ssd"}},
                                      G{name = "b", cpu = 2000, memory = 4e9}},
                            weights = G{fit = 1}, strategy = "most"})
  c:schedule(G{cpu = "500m", memory = "1Gi", app = "web", limits = G{cpu = 1000},
               selector = P{disk = "ssd"}, prefer = P{G{weight = 5, key = "zone", value = "z1"}},
               spread = P{G{key = "zone", max_skew = 1}}})
  c:place(P{G{cpu = 100}, G{}})
  c:explain(G{cpu = 100})
  return c:fragmentation(G{cpu = 100}), c:report(), c:nodes(), c:pods()
end
calls["sched.run"] = function()
  return lab.sched.run(G{nodes = P{G{name = "a", cpu = 1000, memory = 1e9}}, pods = P{G{cpu = 10}}})
end
calls["sched.score"] = function()
  return lab.sched.score(G{cpu = 1000, memory = 1e9, cpu_requested = 100}, G{cpu = 100}, "least")
end
calls["sched.pack"] = function()
  return lab.sched.pack(G{nodes = P{G{name = "a", cpu = 1000, memory = 1e9}}, pods = P{G{cpu = 10}, G{}}})
end
calls["sched.quantity"] = function() return lab.sched.quantity("1Gi", "memory") end
calls["cron.schedule"] = function()
  return lab.cron.schedule(G{expr = "*/5 * * * *", from = "2026-01-01 00:00:00",
    to = "2026-01-01 01:00:00", duration = P{60, 600}, policy = "replace", deadline = 60,
    jitter = 30, downtime = P{G{from = "2026-01-01 00:10:00", to = "2026-01-01 00:20:00"}}})
end
calls["jsonschema.validate"] = function()
  return lab.jsonschema.validate(P{type = "object", required = P{"a"},
    properties = P{a = P{type = "string", pattern = "^x"}}}, P{a = "y", b = P{1, 2}})
end
calls["jsonschema.match"] = function() return lab.jsonschema.match("^a+$", "aa") end
calls["jsonschema.array"] = function() return lab.jsonschema.array() end
calls["jsonschema.object"] = function() return lab.jsonschema.object{} end
calls["graphql.new"] = function()
  local g = lab.graphql.new(G{users = 3})
  g:execute("{ users { name posts { title } } }", G{batch = true})
  return g:fetch("posts", "author_id", P{1, 2}), g:stats()
end
calls["graphql.parse"] = function() return lab.graphql.parse("{ users(first: 2) { name } }") end

test("options_gc/every_function_is_listed", function()
  local missing = {}
  for ns, t in pairs(lab) do
    if type(t) == "table" then
      for fn, f in pairs(t) do
        if type(f) == "function" and not calls[ns .. "." .. fn] then missing[#missing + 1] = ns .. "." .. fn end
      end
    end
  end
  table.sort(missing)
  eq(table.concat(missing, " "), "", "lab functions without a call in this test")
end)

test("options_gc/no_metamethod_runs", function()
  local names = {}
  for name in pairs(calls) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    hits = 0
    local ok, err = pcall(calls[name])
    collectgarbage()
    if not ok then error(name .. " failed: " .. tostring(err)) end
    eq(hits, 0, name .. ": metamethods run")
  end
end)

-- The seven reproductions of issue 8: the strings only __index supplies
-- are never read, so nothing it frees is used.
test("options_gc/issue8_reproductions", function()
  hits = 0
  local bars = lab.plot.bars({a = 1}, G{})                -- title, format
  truthy(not bars:find("from __index"), bars)
  local h = lab.plot.histogram({1, 2}, G{})               -- xlabel
  truthy(not h:find("from __index"), h)
  local l = lab.plot.lines(G{series = {G{y = {1, 2}}}})   -- labels, series names
  truthy(not l:find("from __index"), l)
  -- series keys: a series whose metamethods empty the map and collect
  local map = {}
  map.alpha = setmetatable({y = {1, 2}}, {__index = function()
    for k in pairs(map) do map[k] = nil end collectgarbage()
  end})
  map.beta = {y = {2, 1}}
  truthy(lab.plot.lines{series = map}:find("alpha"))
  eq(lab.hash.movement(G{scheme = "modulo", keys = 10}).change, "add") -- change
  eq(lab.httpcache.origin(G{}).status, 200)               -- etag
  local b = lab.lb.new{backends = {G{}, G{}}}             -- backend names
  eq(b:snapshot().backends[1].name, "b1")
  eq(b:snapshot().backends[2].name, "b2")
  eq(hits, 0)
end)
