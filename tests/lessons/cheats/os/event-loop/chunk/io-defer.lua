-- feedback: ms late
-- an I/O completion at n + 1 ms, then the whole block
return function(loop, n)
  loop:io(n + 1, function(l) l:block(n); l:log("done") end)
end
