-- what: huge unpack, bad sort comparator, bad format: errors inside C functions
-- expect: fail
pcall(table.unpack, {}, 1, 1e8)
pcall(table.sort, {3, 1, 2, 5, 4, 7, 6, 9, 8}, function() return true end)
pcall(string.format, "%099999d", 1)
return {add = function() return select(2, table.unpack({}, 1, 1e8)) end}
