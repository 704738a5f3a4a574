-- feedback: still running after
-- ignores requests: rolls back at 40 errors
return function(c, slo) if c.errors >= 40 then return "rollback" end return "continue" end
