-- feedback: still come back together
-- fallback hidden behind a metatable: pairs does not see it, no jitter
return setmetatable({timeout = 1, retries = 4}, {__index = {fallback = true}})
