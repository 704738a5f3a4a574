-- feedback: not available
-- lab.web.sql_quote quotes every value
local M = {}
function M.build(sql, values)
  local i = 0
  return (sql:gsub("%?", function()
    i = i + 1
    return lab.web.sql_quote(values[i])
  end))
end
return M
