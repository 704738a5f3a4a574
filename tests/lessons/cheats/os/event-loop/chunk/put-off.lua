-- feedback: finish by
-- puts the work off far past the probes
return function(loop, n)
  loop:timeout(10 * n, function(l) l:block(n); l:log("done") end)
end
