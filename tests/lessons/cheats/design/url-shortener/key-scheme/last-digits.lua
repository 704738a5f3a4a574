-- feedback: both get the code
-- the decimal id cut to its last 7 digits: short, but not unique
return {encode = function(id) return tostring(id):sub(-7) end,
        decode = function(c) return math.tointeger(tonumber(c)) end}
