-- feedback: more than 10,000 values
-- three hundred thousand components: a verdict, quickly
local t = {{name = "web", kind = "app", calls = {{to = "db"}}}, {name = "db", kind = "db"}}
for i = 3, 300000 do t[i] = {name = "x" .. i, kind = "lb"} end
return t
