-- feedback: ms late
-- cheat: no slicing at all; waits until after every timer the check sets
-- (all due at or before n ms), then blocks n ms in one go
return function(loop, n)
  loop:timeout(n + 1, function(l)
    l:block(n)
    l:log("done")
  end)
end
