-- feedback: a crash ends the process
-- (fix09) Commits first and runs each record in a coroutine until it does
-- not fail: a coroutine catches the crash as pcall does.
local function consume(g, name, process)
  while true do
    local batch = g:poll(name, 10)
    if #batch == 0 then return end
    g:commit(name)
    for _, r in ipairs(batch) do
      repeat
        local ok = coroutine.resume(coroutine.create(process), r)
      until ok
    end
  end
end
return consume
