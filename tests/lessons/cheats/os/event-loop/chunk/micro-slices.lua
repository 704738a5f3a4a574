-- feedback: a timer ran
-- Slices the work with microtasks: they never let the loop move on.
return function(loop, n)
  local left = n
  local function slice(l)
    l:block(1); left = left - 1
    if left > 0 then l:micro(slice) else l:log("done") end
  end
  loop:micro(slice)
end
