-- feedback: is not available to your code
-- lab's own Maglev table
return function(names, size)
  return lab.hash.maglev{nodes = names, size = size}:table()
end
