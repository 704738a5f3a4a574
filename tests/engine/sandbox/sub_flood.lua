-- what: floods the output, forever
-- expect: timeout
while true do print(string.rep("spam ", 200)) end
