-- The claims the search lessons make about their own examples (counts,
-- orders, measured precision and recall), each checked against the
-- example's output. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local M = "lessons/12-search/"

local function lines(out)
  local t = {}
  for l in out:gmatch("[^\n]+") do t[#t + 1] = l end
  return t
end

test("figures/search/inverted-index", function()
  local L = lesson(M .. "01-inverted-index.md")
  local out = L:run(1)
  L:says("It prints 8 and 12")
  L:says("5 + 3 + 4 of them")
  L:says("`d1, d3`")
  local got = {lines(out)[1], lines(out)[2]}
  table.sort(got)
  same(got, {"d1", "d3"}); eq(lines(out)[3], "8\t12")
  out = L:run(3)
  L:says("`relational` becomes `relate`")
  assert(out:find("relational\trelat\n", 1, true) and out:find("rational\tration", 1, true), out)
  L:says("(`univers`, `gener`)")
  assert(out:find("university\tunivers", 1, true) and out:find("generalizations\tgener", 1, true), out)
  out = L:run(5)
  eq(out, "2\t4")
  out = L:run(6)
  eq(out, "d3\t|\td1\t|\td1 d2")
  -- "new york": document 1, not document 2
  local idx = lab.search.index()
  idx:add(1, "new york is new"); idx:add(2, "york new")
  local hits = idx:search('"new york"')
  eq(#hits, 1); eq(hits[1].id, 1)
end)

test("figures/search/bm25", function()
  local L = lesson(M .. "02-bm25.md")
  local out = lines(L:run(1))
  L:says("The keyword-stuffed `spam` wins, and the two-word `short`")
  L:says("comes last")
  truthy(out[1]:find("^spam") and out[2]:find("^long") and out[#out]:find("^short"),
    table.concat(out, "\n"))
  L:says("about 3.1 times one")
  near(1 + math.log(8), 3.08, 0.01)
  local bm = lines(L:run(2))
  L:says("Now `short` comes first and `spam` second")
  L:says("`long` falls to third")
  truthy(bm[1]:find("^short") and bm[2]:find("^spam") and bm[3]:find("^long"), table.concat(bm, "\n"))
  local x = lines(L:run(3))
  eq(x[1], "5\t1\t1\t3\t5.4")
  local idf, tf, score = x[2]:match("^(%S+)\t(%S+)\t(%S+)$")
  near(tonumber(idf), 1.3862944, 1e-6); near(tonumber(tf), 0.5555555, 1e-6)
  near(tonumber(score), 1.6943597, 1e-6)
  L:says("A document of 100 terms is scored as 96 terms long")
  local a = lab.search.index{norms = "lucene"}
  a:add(1, ("x "):rep(99) .. "t")
  eq(a:explain("t", 1).dl, 96)
end)

test("figures/search/evaluation", function()
  local L = lesson(M .. "03-evaluation.md")
  local out = lines(L:run(1))
  L:says("only three documents match at all")
  L:says("precision@5 is 0.4 and recall 0.5")
  L:says("recall@5 rises to 0.75 and precision to 0.6")
  L:says("It also lets in `Pool safety: swimming rules`")
  local ids1, p1, r1 = out[1]:match("^(.-)\tP@5\t(%S+)\tR@5\t(%S+)")
  local ids2, p2, r2, n2 = out[2]:match("^(.-)\tP@5\t(%S+)\tR@5\t(%S+)\tnDCG@5\t(%S+)")
  eq(select(2, ids1:gsub("%d+", "")), 3)
  near(tonumber(p1), 0.4, 1e-12); near(tonumber(r1), 0.5, 1e-12)
  near(tonumber(p2), 0.6, 1e-12); near(tonumber(r2), 0.75, 1e-12)
  L:says("`1 3 7 8 5`")
  eq(ids2, "1 3 7 8 5")
  L:says("nDCG = 0.924")
  eq(n2, "0.924")
end)

test("figures/search/autocomplete", function()
  local L = lesson(M .. "04-autocomplete.md")
  local out = lines(L:run(1))
  eq(out[1], "3")
  eq(out[2], "hot dog | hotel paris | how to code | how to cook pasta | how to cook rice")
  eq(out[3], "3\thow to cook rice")
  local st = lines(L:run(2))
  eq(st[1], "5\t37\t10")
end)

test("figures/search/sketches", function()
  local L = lesson(M .. "05-sketches.md")
  local out = lines(L:run(1))
  -- measured rates within 25 % (and 0.001 absolute) of the formula
  for i = 1, 8 do
    local bpk, k, got, want = out[i]:match("^(%S+)\t(%S+)\t(%S+)\t(%S+)")
    got, want = tonumber(got), tonumber(want)
    truthy(math.abs(got - want) <= 0.25 * want + 0.001, out[i])
  end
  L:says("9.6 bits a key give 1 %, 14.4 give 0.1 %")
  near(lab.bloom.fp_rate(96, 7, 10), 0.01, 0.001)
  near(lab.bloom.fp_rate(144, 10, 10), 0.001, 0.0002)
  L:says("Each factor of 4 in memory halves the error")
  local hll = lines(L:run(3))
  local first = tonumber(hll[1]:match("^%S+\t(%S+)"))
  local last = tonumber(hll[6]:match("^%S+\t(%S+)"))
  truthy(first > 8 * last, hll[1] .. " / " .. hll[6])
  local cms = lines(L:run(4))
  for i = 1, 4 do truthy(cms[i]:find("top key\t1$"), cms[i]) end
end)

test("figures/search/elasticsearch", function()
  local L = lesson(M .. "06-elasticsearch.md")
  local out = lines(L:run(1))
  L:says("The merged ranking does not even agree on the first result")
  local a, b = out[1]:match("^(%S+)\t%S+\t(%S+)")
  truthy(a ~= b, out[1])
  local seg = lines(L:run(2))
  eq(seg[1], "0\t0"); eq(seg[2], "1\t1")
  eq(seg[3], "12\t100 100 100 10 10 10 10 1 1 1 1 1")
  -- the exercise's 2,718 documents: 2 + 7 + 1 + 8 segments
  local idx = lab.search.index{merge_factor = 10}
  for i = 1, 2718 do idx:add(i, "d") end
  eq(#idx:segments(), 18)
end)
