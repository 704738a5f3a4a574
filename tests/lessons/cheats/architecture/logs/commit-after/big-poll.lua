-- feedback: Commit after each batch, not once at the end
-- (fix09) Commits after the work, but polls the whole backlog at once: every
-- crash redoes everything (it finishes on some seeds by luck).
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 1000)
    if #batch == 0 then return end
    for _, r in ipairs(batch) do process(r) end
    g:commit(name)
  end
end
return consume
