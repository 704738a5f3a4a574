-- feedback: the reference returned
-- a cursor whenever the page is full, even when no row follows it
local function page(rows, cursor, limit)
  local last = math.huge
  if cursor ~= nil then
    last = tonumber(cursor:match("^k(%d+)$"))
  end
  local out, i = {}, 1
  while i <= #rows and rows[i] >= last do i = i + 1 end
  while i <= #rows and #out < limit do
    out[#out + 1] = rows[i]
    i = i + 1
  end
  local next_cursor = nil
  if #out == limit then
    next_cursor = ("k%d"):format(out[#out])
  end
  return out, next_cursor
end

return {page = page}
