-- feedback: the reference returned
-- a parser that knows LF line ends and data lines only
return {parse = function(text)
  local events, data = {}, nil
  for line in text:gmatch("([^\n]*)\n") do
    if line == "" then
      if data then events[#events + 1] = {type = "message", data = data:sub(1, -2), id = ""} end
      data = nil
    elseif line:match("^data") then
      data = (data or "") .. (line:match("^data: ?(.*)$") or "") .. "\n"
    end
  end
  return events
end}
