-- feedback: before the work was finished
-- logs done at n ms, blocks afterwards
return function(loop, n)
  loop:timeout(n, function(l) l:log("done") end)
  loop:timeout(n + 1, function(l) l:block(n) end)
end
