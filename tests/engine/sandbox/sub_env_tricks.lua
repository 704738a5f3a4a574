-- what: _ENV and _G tricks: a proxy environment, globals the check might read
-- expect: fail
local real = _ENV
_ENV = setmetatable({}, {__index = real, __newindex = real})
submission = {add = function() return 5 end}
answer = 5
real.expect = nil
return {add = function(a, b) return a - b end, range = function() return {} end}
