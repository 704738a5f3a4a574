-- what: an infinite loop at load time
-- expect: timeout
-- feedback: timed out after
while true do end
