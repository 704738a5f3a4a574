-- feedback: ms late
-- waits until 2n ms, past the random timers, then blocks in one piece
return function(loop, n)
  loop:timeout(2 * n, function(l) l:block(n); l:log("done") end)
end
