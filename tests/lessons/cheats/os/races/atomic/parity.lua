-- feedback: Use `atomic_add` only
-- atomic adds for even sizes, a mutex for odd ones
return function(w)
  if w % 2 == 0 then return {{"atomic_add", "count", 1}, {"atomic_add", "total", w}} end
  return {{"lock", "m"}, {"read", "count", "c"}, {"add", "c", 1}, {"write", "count", "c"},
    {"read", "total", "t"}, {"add", "t", w}, {"write", "total", "t"}, {"unlock", "m"}}
end
