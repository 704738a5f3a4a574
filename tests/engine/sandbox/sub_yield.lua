-- what: yields out of the check's call to escape it
-- expect: fail
return {add = function() coroutine.yield(5) return 5 end, range = function() return {1, 2, 3} end}
