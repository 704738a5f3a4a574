-- Lua tests of lab.os (engine/concepts/os/os_lua.c), against traces worked
-- by hand and published ones.

local P = lab.os.paging
local classic = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}   -- Belady, Nelson & Shedler (CACM 12(6), 1969)

test("os/belady_classic_fifo", function()
  -- FIFO: 9 faults with 3 frames, 10 with 4 (the anomaly)
  eq(P{refs = classic, frames = 3, policy = "fifo"}.faults, 9)
  eq(P{refs = classic, frames = 4, policy = "fifo"}.faults, 10)
  -- worked by hand: LRU 10 then 8; OPT 7 then 6
  eq(P{refs = classic, frames = 3, policy = "lru"}.faults, 10)
  eq(P{refs = classic, frames = 4, policy = "lru"}.faults, 8)
  eq(P{refs = classic, frames = 3, policy = "opt"}.faults, 7)
  eq(P{refs = classic, frames = 4, policy = "opt"}.faults, 6)
end)

test("os/textbook_string", function()
  -- the 20-reference string of Silberschatz et al., Operating System
  -- Concepts, sec. 10.4 (9th ed. 9.4): 15 FIFO, 12 LRU, 9 OPT faults with 3 frames
  local s = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1}
  eq(P{refs = s, frames = 3, policy = "fifo"}.faults, 15)
  eq(P{refs = s, frames = 3, policy = "lru"}.faults, 12)
  eq(P{refs = s, frames = 3, policy = "opt"}.faults, 9)
end)

test("os/trace_table", function()
  local r = P{refs = classic, frames = 3, policy = "fifo", trace = true}
  eq(#r.trace, 12)
  eq(r.trace[4].evicted, 1); eq(r.trace[4].frame, 1)       -- 4 replaces 1 in frame 1
  eq(r.trace[8].hit, true); eq(r.trace[8].evicted, nil)
  same(r.trace[1].frames, {1, false, false})
  truthy(r.table:find("fault   F F F F F F F     F F", 1, true), r.table)
  eq(r.hits + r.faults, 12); near(r.hit_ratio, 3 / 12, 1e-12)
end)

test("os/clock_is_second_chance", function()
  -- hand-worked: 3 frames, refs 1 2 3 1 4: 1 has its bit set, cleared and
  -- passed over along with 2 and 3; the hand comes back to 1, now clear
  local r = P{refs = {1, 2, 3, 1, 4, 1}, frames = 3, policy = "clock", trace = true}
  eq(r.trace[5].evicted, 1); eq(r.faults, 5)
  -- the two implementations choose the same victims on any string
  local w = lab.os.workload{kind = "80-20", n = 2000, pages = 30, seed = 4}
  for f = 1, 12 do
    local a = P{refs = w, frames = f, policy = "clock", trace = true}
    local b = P{refs = w, frames = f, policy = "second", trace = true}
    eq(a.faults, b.faults)
    for i = 1, #w do eq(a.trace[i].evicted, b.trace[i].evicted) end
  end
end)

test("os/stack_algorithms_no_anomaly", function()
  -- LRU and OPT are stack algorithms (Mattson et al., IBM Systems Journal
  -- 9(2), 1970): more frames never fault more. OPT never faults more than
  -- any other policy.
  local none, n = lab.os.belady{policy = "lru", tries = 3000, length = 20}
  eq(none, nil); eq(n, 3000)
  eq((lab.os.belady{policy = "opt", tries = 3000, length = 20}), nil)
  for seed = 1, 20 do
    local w = lab.os.workload{kind = "uniform", n = 300, pages = 12, seed = seed}
    local opt = P{refs = w, frames = 5, policy = "opt"}.faults
    for _, p in ipairs{"fifo", "lru", "clock", "random"} do
      truthy(opt <= P{refs = w, frames = 5, policy = p, seed = seed}.faults, p)
    end
  end
end)

test("os/belady_search", function()
  local b = lab.os.belady{frames = 3, pages = 5, length = 20, seed = 1}
  truthy(b.faults[2] > b.faults[1])
  -- the string it returns really shows the anomaly
  eq(P{refs = b.refs, frames = 3}.faults, b.faults[1])
  eq(P{refs = b.refs, frames = 4}.faults, b.faults[2])
  same(lab.os.belady{seed = 1}.refs, b.refs)             -- seeded: replays
end)

test("os/working_set", function()
  -- window 3 over 1 2 1 3 1 2 4 4 4 4: faults at 1 2 _ 3 _ 2 4 (2 was last
  -- seen 4 references back); sizes 1 2 2 3 2 3 3 2 1 1
  local r = P{refs = {1, 2, 1, 3, 1, 2, 4, 4, 4, 4}, policy = "ws", window = 3}
  eq(r.faults, 5); eq(r.max_ws, 3); near(r.mean_ws, 2.0, 1e-12)
  raises(function() P{refs = {1}, policy = "ws"} end, "window")
end)

test("os/tlb_ostep_array", function()
  -- OSTEP ch. 19: ten 4-byte ints from address 100, 16-byte pages: misses on
  -- pages 6, 7, 8 only: 70% hits
  local a = {}
  for i = 0, 9 do a[#a + 1] = 100 + 4 * i end
  local t = lab.os.tlb{addresses = a, page_size = 16, entries = 4}
  eq(t.hits, 7); eq(t.misses, 3); near(t.hit_ratio, 0.7, 1e-12)
  near(t.eat_ns, (10 * 101 + 3 * 100) / 10, 1e-9)
  t = lab.os.tlb{addresses = a, page_size = 16, entries = 4, levels = 4, tlb_ns = 0, mem_ns = 10}
  near(t.eat_ns, (10 * 10 + 3 * 40) / 10, 1e-9)
  raises(function() lab.os.tlb{addresses = a, page_size = 24, entries = 4} end, "power of 2")
end)

test("os/pagetable", function()
  -- OSTEP ch. 20: 16 KiB space, 64-byte pages, 4-byte PTEs; code in pages
  -- 0-1, heap 4-5, stack 254-255: a directory and two tables of 64 bytes
  local pt = lab.os.pagetable{va_bits = 14, page_bits = 6, levels = {4, 4}, pte_bytes = 4,
    addresses = {0, 64, 4 * 64, 5 * 64 + 7, 254 * 64, 255 * 64}}
  eq(pt.pages, 6); same(pt.tables, {1, 2}); eq(pt.bytes, 192); eq(pt.linear_bytes, 1024)
  -- x86-64: 48 bits, 4 KiB pages, four levels of 512 8-byte entries; one
  -- page mapped costs four 4 KiB tables; a flat table would take 512 GiB
  pt = lab.os.pagetable{levels = {9, 9, 9, 9}, addresses = {0x7fffdeadb000}}
  same(pt.tables, {1, 1, 1, 1}); eq(pt.bytes, 4 * 4096); eq(pt.linear_bytes, 512 * 2^30)
  raises(function() lab.os.pagetable{levels = {9, 9}} end, "sum to 18 bits")
  raises(function() lab.os.pagetable{va_bits = 14, page_bits = 6, levels = {4, 4},
    addresses = {1 << 14}} end, "does not fit")
end)

test("os/split", function()
  local s = lab.os.split{address = 0x3F80, page_bits = 6, levels = {4, 4}}
  eq(s.vpn, 254); eq(s.offset, 0); same(s.indices, {15, 14})
  s = lab.os.split{address = 0x7fffdeadbeef, levels = {9, 9, 9, 9}}
  eq(s.offset, 0xeef); eq(s.indices[1], 0xff); eq(s.vpn, 0x7fffdeadb)
end)

test("os/workload", function()
  local loop = lab.os.workload{kind = "loop", n = 10, pages = 4}
  same(loop, {0, 1, 2, 3, 0, 1, 2, 3, 0, 1})
  local w = lab.os.workload{kind = "80-20", n = 10000, pages = 100, seed = 2}
  local hot = 0
  for _, p in ipairs(w) do if p < 20 then hot = hot + 1 end end
  near(hot / 10000, 0.8, 0.02)
  same(lab.os.workload{kind = "uniform", n = 50, seed = 9}, lab.os.workload{kind = "uniform", n = 50, seed = 9})
  -- OSTEP ch. 22: a loop one page bigger than memory makes LRU and FIFO miss every time
  local l = lab.os.workload{kind = "loop", n = 500, pages = 11}
  eq(P{refs = l, frames = 10, policy = "lru"}.faults, 500)
  eq(P{refs = l, frames = 10, policy = "fifo"}.faults, 500)
  truthy(P{refs = l, frames = 10, policy = "random", seed = 1}.faults < 500)
end)

test("os/bad_input", function()
  raises(function() P{refs = {1, -2}, frames = 3} end, "refs%[2%]")
  raises(function() P{refs = {1, 2.5}, frames = 3} end, "integer")
  raises(function() P{refs = {1}} end, "frames")
  raises(function() P{refs = {1}, frames = 2, policy = "lfu"} end, "must be one of")
end)
