-- feedback: a jump goes forward
-- checks every pointer against the first offset only, not against the start
-- of the name each jump lands in
local M = {}
function M.decode_name(msg, offset)
  local labels, used, pos = {}, nil, offset
  local seen = {}
  while true do
    local n = msg:byte(pos + 1)
    if not n then return nil end
    if n == 0 then used = used or (pos + 1 - offset) break
    elseif n >= 0xC0 then
      local low = msg:byte(pos + 2)
      if not low then return nil end
      local target = ((n & 0x3F) << 8) | low
      if target >= offset or seen[target] then return nil end
      seen[target] = true
      used = used or (pos + 2 - offset)
      pos = target
    elseif n >= 0x40 then return nil
    else
      if pos + 1 + n > #msg then return nil end
      labels[#labels + 1] = msg:sub(pos + 2, pos + 1 + n)
      pos = pos + 1 + n
    end
  end
  return #labels == 0 and "." or table.concat(labels, ".") .. ".", used
end
return M
