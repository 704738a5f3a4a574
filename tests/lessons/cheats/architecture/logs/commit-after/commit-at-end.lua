-- feedback: Commit after each batch, not once at the end
-- (find09 C5) Commits once, after the whole backlog: every crash redoes it all.
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then g:commit(name); return end
    for _, r in ipairs(batch) do process(r) end
  end
end
return consume
