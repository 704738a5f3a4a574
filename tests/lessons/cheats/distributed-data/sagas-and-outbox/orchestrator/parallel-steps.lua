-- feedback: in order
-- Sends all three steps at once instead of one after the other; on a
-- refusal it compensates the steps that were done, last first.
local O = {}
local function send(n, k)
  local s = n.store.sagas[k]
  if s.state == "forward" then
    for i = 1, 3 do
      if s.ok[i] == nil then n:send(i + 1, {t = "do", saga = k, step = i}) end
    end
  elseif s.state == "back" then
    n:send(s.step + 1, {t = "undo", saga = k, step = s.step})
  end
end
local function finish(n, k, how)
  n.store.sagas[k].state = how
  if n.ids[k] then n:reply(n.ids[k], how) end
end
function O.start(n)
  n.store.sagas = n.store.sagas or {}
  n.ids = {}
  for k in pairs(n.store.sagas) do send(n, k) end
  n:set_timer(0.1, "retry")
end
function O.request(n, op, id)
  if n.store.sagas[op.saga] then return end
  n.store.sagas[op.saga] = {state = "forward", ok = {}}
  n.ids[op.saga] = id
  send(n, op.saga)
end
local function back_from(n, k, i)
  local s = n.store.sagas[k]
  while i >= 1 and not s.ok[i] do i = i - 1 end
  if i == 0 then return finish(n, k, "compensated") end
  s.state, s.step = "back", i
  send(n, k)
end
function O.receive(n, from, m)
  local s = n.store.sagas[m.saga]
  if not s then return end
  if s.state == "forward" and m.t == "done" then
    if s.ok[m.step] ~= nil then return end
    s.ok[m.step] = m.ok
    if s.ok[1] and s.ok[2] and s.ok[3] then return finish(n, m.saga, "completed") end
    local all = s.ok[1] ~= nil and s.ok[2] ~= nil and s.ok[3] ~= nil
    if all then back_from(n, m.saga, 3) end
  elseif s.state == "back" and m.t == "undone" and m.step == s.step then
    s.ok[s.step] = false
    back_from(n, m.saga, s.step - 1)
  end
end
function O.timer(n)
  for k in pairs(n.store.sagas) do send(n, k) end
  n:set_timer(0.1, "retry")
end
return O
