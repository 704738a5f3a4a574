-- feedback: noise, not a breach
-- ignores requests: a fixed count of errors
return function(c, slo) if c.errors > 15 then return "rollback" end return "continue" end
