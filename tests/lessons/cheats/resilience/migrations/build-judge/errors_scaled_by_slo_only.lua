-- feedback: still running after
-- ignores requests, scales with the slo only
return function(c, slo) if c.errors >= 0.1 / slo then return "rollback" end return "continue" end
